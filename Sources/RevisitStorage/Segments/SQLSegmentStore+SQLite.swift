import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// The run on SQLite's direct connection, inside its write transaction: the same statements as the
    /// SQLKit run, with customers read and written row by row on prepared statements.
    static func run(_ context: RunContext, on db: SQLiteReader.Connection) throws -> SegmentRun {
        let sql = context.sql
        var laps = Laps()
        let activities = try SQLiteActivityScan(sql: sql).read(db)
        laps.lap("activity")
        var previous: [Int64: (value: String, stage: String)] = [:]
        try db.rows(sql.previous, []) { try SegmentRunSQL.previous($0, into: &previous) }
        laps.lap("previous")
        let result = SegmentRunResult(activities, previous: previous, asOf: sql.asOf, settings: sql.settings)
        laps.lap("classify")
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
        func all(_ text: String) throws -> [any SQLRow] {
            var rows: [any SQLRow] = []
            try db.rows(text, []) { rows.append($0) }
            return rows
        }
        let vehicles = try SegmentRunSQL.vehicles(try all(sql.vehicleCounts))
        laps.lap("vehicles")
        let workshop = try SQLiteWorkshopScan(sql: sql).read(db, customers: activities.count { $0.windowVisits > 0 })
        laps.lap("workshop")
        let finish = try sql.finishRun(
            id: id, moved: result.moves.count, durationMs: context.durationMs,
            metrics: result.metrics(asOf: sql.asOf, workshop: workshop, vehicles: vehicles))
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

    mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        phases[name] = Int64((now - last) / .milliseconds(1))
        last = now
    }
}
