import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// What the SQLite run reads, in one read transaction (a snapshot) before it takes the write lock.
    struct SQLiteReading {
        let result: SegmentRunResult
        let workshop: WorkshopMetrics
        let laps: Laps
    }

    /// The reading half: every customer's activity, the classes before, the new classes, the workshop.
    /// SQLite has one writer at a time; reading outside the write transaction keeps imports and edits
    /// waiting only for the writes (WAL readers never block the writer, nor it them).
    static func read(_ context: RunContext, on db: SQLiteReader.Connection) throws -> SQLiteReading {
        let sql = context.sql
        var laps = Laps()
        let activities = try SQLiteActivityScan(sql: sql).read(db)
        laps.lap("activity")
        var previous: [Int64: (value: String, stage: String)] = [:]
        try db.rows(sql.previous, []) { try SegmentRunSQL.previous($0, into: &previous) }
        laps.lap("previous")
        let result = SegmentRunResult(activities, previous: previous, asOf: sql.asOf, settings: sql.settings)
        laps.lap("classify")
        let workshop = try SQLiteWorkshopScan(sql: sql).read(db, customers: activities.count { $0.windowVisits > 0 })
        laps.lap("workshop")
        return SQLiteReading(result: result, workshop: workshop, laps: laps)
    }

    /// The writing half, in the write transaction: the classes replaced, the movements, the vehicles'
    /// classes, the run with its analytics, the audit line.
    static func write(
        _ context: RunContext, _ reading: SQLiteReading, on db: SQLiteReader.Connection
    ) throws
        -> SegmentRun
    {
        let sql = context.sql
        let result = reading.result
        var laps = reading.laps
        laps.restart()
        let start = try sql.insertRun(
            trigger: context.trigger, login: context.scope.login, counts: result.counts, started: context.started)
        var id: Int64 = 0
        try db.rows(start.sql, start.binds) { id = try $0.int64("id") }
        try db.run(sql.deleteSegments)
        let insertSegment = try db.statement(insert("customer_segments", SegmentRunSQL.segmentColumns))
        for (activity, segment) in zip(result.activities, result.segments) {
            try db.run(insertSegment, sql.segmentRow(activity, segment, runId: id))
        }
        let insertMove = try db.statement(insert("segment_moves", SegmentRunSQL.moveColumns))
        for move in result.moves { try db.run(insertMove, sql.moveRow(move, runId: id)) }
        laps.lap("write")
        try db.run(sql.deleteVehicles)
        try db.run(sql.insertVehicles(runId: id))
        var counts: [any SQLRow] = []
        try db.rows(sql.vehicleCounts, []) { counts.append($0) }
        let vehicles = try SegmentRunSQL.vehicles(counts)
        laps.lap("vehicles")
        let finish = try sql.finishRun(
            id: id, moved: result.moves.count, durationMs: context.durationMs,
            metrics: result.metrics(asOf: sql.asOf, workshop: reading.workshop, vehicles: vehicles))
        try db.run(finish.sql, finish.binds)
        let audit = AuditWriter.statement(
            context.audit(id: id, result), actor: context.scope.actor, at: context.started)
        try db.run(audit.sql, audit.binds)
        var run = context.finished(result, id: id)
        run.phases = laps.phases
        return run
    }

    private static func insert(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
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
}
