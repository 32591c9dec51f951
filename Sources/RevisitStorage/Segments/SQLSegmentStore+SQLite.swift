import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// What the SQLite run reads, in one read transaction (a snapshot) before it takes the write lock.
    struct SQLiteReading {
        var result: SegmentRunResult
        /// The analytics but for the movements, which are `result`'s.
        let metrics: StoreMetrics
        let vehicles: SQLiteVehicleScan
        var vehicleChanges: KeyedChanges
        /// The store's last run when the snapshot was read: what `result`'s changes were computed against.
        let lastRun: Int64
        var laps: Laps
    }

    /// What the store keeps from its last run: the run it belongs to, and its customers' and vehicles'
    /// classes.
    struct Kept: Sendable {
        let lastRun: Int64
        let segments: [StoredSegment]
        let vehicles: [StoredVehicleSegment]

        init(_ sql: SegmentRunSQL, on db: SQLiteReader.Connection) throws {
            lastRun = try SQLSegmentStore.lastRun(sql, on: db)
            segments = try SQLSegmentStore.storedSegments(sql, on: db)
            vehicles = try SQLSegmentStore.storedVehicles(sql, on: db)
        }
    }

    /// The reading half, on two connections sharing one snapshot and two threads: the first reads the
    /// vehicles and customers while the second reads what the last run kept; then both read ranges of the
    /// orders for the activity and the workshop; then the classes, and what changed. SQLite has one
    /// writer at a time; reading outside the write transaction keeps imports and edits waiting only for
    /// the writes (WAL readers never block the writer, nor it them).
    static func read(
        _ context: RunContext, on first: SQLiteReader.Connection, _ second: SQLiteReader.Connection
    ) throws -> SQLiteReading {
        let sql = context.sql
        var laps = Laps()
        let shared = Handoff<SQLiteActivityScan>()
        let chunks = SQLiteActivityScan.Chunks()
        let helper = Concurrently {
            let kept = try Kept(sql, on: second)
            return (kept, try shared.value().scan(chunks, on: second))
        }
        let scan: SQLiteActivityScan
        var partial: SQLiteActivityScan.Partial
        do {
            let started = Result {
                try SQLiteActivityScan(sql: sql, vehicles: try SQLiteVehicleScan(first, sql: sql), on: first)
            }
            shared.send(started)
            scan = try started.get()
            laps.lap("vehicles")
            partial = try scan.scan(chunks, on: first)
        } catch {
            _ = try? helper.value()  // The second connection is done with before the snapshot ends.
            throw error
        }
        let (kept, other) = try helper.value()
        partial.add(other)
        let (activities, workshop) = scan.finish(partial)
        laps.lap("activity")
        let vehicleCounts = scan.vehicles.counts
        let analytics = Concurrently {
            StoreAnalytics.metrics(
                activities, asOf: sql.asOf, settings: sql.settings, workshop: workshop, vehicles: vehicleCounts,
                moves: SegmentMoves())
        }
        let classification = SegmentClassification(activities, asOf: sql.asOf, settings: sql.settings)
        let metrics = try analytics.value()
        laps.lap("classify")
        let result = SegmentRunResult(classification, previous: kept.segments)
        let vehicleChanges = KeyedChanges(new: scan.vehicles.stored, old: kept.vehicles, key: { $0.vehicleId })
        laps.lap("changes")
        return SQLiteReading(
            result: result, metrics: metrics, vehicles: scan.vehicles, vehicleChanges: vehicleChanges,
            lastRun: kept.lastRun, laps: laps)
    }

    /// The writing half, in the write transaction: the changed classes, the movements, the changed
    /// vehicles' classes, the run with its analytics, the audit line. Another run that wrote since the
    /// snapshot (a manager's button during the nightly run) changed what this one compared against: the
    /// kept classes are then read again under the write lock and the changes computed anew.
    static func write(
        _ context: RunContext, _ reading: SQLiteReading, on db: SQLiteReader.Connection
    ) throws
        -> SegmentRun
    {
        let sql = context.sql
        var reading = reading
        reading.laps.restart()
        if try Self.lastRun(sql, on: db) != reading.lastRun {
            let kept = try Kept(sql, on: db)
            reading.result = SegmentRunResult(reading.result.classification, previous: kept.segments)
            reading.vehicleChanges = KeyedChanges(
                new: reading.vehicles.stored, old: kept.vehicles, key: { $0.vehicleId })
            reading.laps.lap("previous again")
        }
        let result = reading.result
        let start = try sql.insertRun(
            trigger: context.trigger, login: context.scope.login, counts: result.counts, started: context.started)
        var id: Int64 = 0
        try db.rows(start.sql, start.binds) { id = try $0.int64("id") }
        let upsert = try db.statement(SegmentRunSQL.upsertSegment)
        for index in result.changes.changed {
            try db.run(upsert, sql.segmentRow(result.activities[index], result.segments[index]))
        }
        let delete = try db.statement(SegmentRunSQL.deleteSegment)
        for customer in result.changes.removed { try db.run(delete, [.int(sql.storeId), .int(customer)]) }
        let insertMove = try db.statement(SegmentRunSQL.insertMove)
        for move in result.moves { try db.run(insertMove, sql.moveRow(move, runId: id)) }
        reading.laps.lap("write")
        let vehicles = reading.vehicles
        let upsertVehicle = try db.statement(SegmentRunSQL.upsertVehicle)
        for index in reading.vehicleChanges.changed {
            try db.run(upsertVehicle, sql.vehicleRow(vehicles.stored[index]))
        }
        let deleteVehicle = try db.statement(SegmentRunSQL.deleteVehicle)
        for vehicle in reading.vehicleChanges.removed {
            try db.run(deleteVehicle, [.int(sql.storeId), .int(vehicle)])
        }
        reading.laps.lap("write vehicles")
        var metrics = reading.metrics
        metrics.moves = result.summary
        let finish = try sql.finishRun(
            id: id, moved: result.moves.count, durationMs: context.durationMs, metrics: metrics)
        try db.run(finish.sql, finish.binds)
        let audit = AuditWriter.statement(
            context.audit(id: id, result), actor: context.scope.actor, at: context.started)
        try db.run(audit.sql, audit.binds)
        var run = context.finished(result, id: id)
        run.phases = reading.laps.phases
        return run
    }

    fileprivate static func lastRun(_ sql: SegmentRunSQL, on db: SQLiteReader.Connection) throws -> Int64 {
        var id: Int64 = 0
        try db.scan(sql.lastRun, []) { id = $0.int64(0) }
        return id
    }

    /// The classes kept from the last run, in customer order, read in place (no String per row).
    fileprivate static func storedSegments(
        _ sql: SegmentRunSQL, on db: SQLiteReader.Connection
    ) throws -> [StoredSegment] {
        var stored: [StoredSegment] = []
        try db.scan(sql.storedSegments, []) { row in
            guard let value = row.oneOf(1, ValueClass.self), let quadrant = row.oneOf(2, Quadrant.self),
                let stage = row.oneOf(6, ChurnStage.self)
            else { return }  // Not a class this build knows: left out, so the run writes it anew.
            stored.append(
                StoredSegment(
                    customerId: row.int64(0), value: value, quadrant: quadrant,
                    rfm: RFMScore(r: Int(row.int64(3)), f: Int(row.int64(4)), m: Int(row.int64(5))),
                    churnStage: stage, lastVisit: SQLiteActivityScan.date(row.day(7))))
        }
        return stored
    }

    fileprivate static func storedVehicles(
        _ sql: SegmentRunSQL, on db: SQLiteReader.Connection
    ) throws -> [StoredVehicleSegment] {
        var stored: [StoredVehicleSegment] = []
        try db.scan(sql.storedVehicles, []) { row in
            guard let band = row.oneOf(1, AgeBand.self), let warranty = row.oneOf(2, WarrantyStatus.self) else {
                return
            }
            stored.append(StoredVehicleSegment(vehicleId: row.int64(0), ageBand: band, warranty: warranty))
        }
        return stored
    }
}

/// Elapsed time per phase of a run.
struct Laps {
    private var last = ContinuousClock.now
    private(set) var phases: [String: Int64] = [:]

    /// Times the next phase from now (the gap before, e.g. waiting for the write lock, is not a phase).
    mutating func restart() { last = ContinuousClock.now }

    mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        phases[name] = Int64((now - last) / .milliseconds(1))
        last = now
    }

    /// The phases another connection or thread timed beside these.
    mutating func add(_ other: Laps) { phases.merge(other.phases) { mine, _ in mine } }
}
