import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// The run on SQLite's direct connection, inside its write transaction: the same statements as the
    /// SQLKit run, with customers read and written row by row on prepared statements.
    static func run(_ context: RunContext, on db: SQLiteReader.Connection) throws -> SegmentRun {
        let sql = context.sql
        let activities = try SQLiteActivityScan(sql: sql).read(db)
        var previous: [Int64: (value: String, stage: String)] = [:]
        try db.rows(sql.previous, []) { try SegmentRunSQL.previous($0, into: &previous) }
        let result = SegmentRunResult(activities, previous: previous, asOf: sql.asOf, settings: sql.settings)
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
        try db.run(sql.deleteVehicles)
        try db.run(sql.insertVehicles(runId: id))
        func all(_ text: String) throws -> [any SQLRow] {
            var rows: [any SQLRow] = []
            try db.rows(text, []) { rows.append($0) }
            return rows
        }
        let vehicles = try SegmentRunSQL.vehicles(try all(sql.vehicleCounts))
        let workshop = try sql.workshop(
            months: try all(sql.workshopMonths), days: try all(sql.workshopDays), hours: try all(sql.workshopHours),
            customers: activities.count { $0.windowVisits > 0 })
        let finish = try sql.finishRun(
            id: id, moved: result.moves.count, durationMs: context.durationMs,
            metrics: result.metrics(asOf: sql.asOf, workshop: workshop, vehicles: vehicles))
        try db.run(finish.sql, finish.binds)
        let audit = AuditWriter.statement(
            context.audit(id: id, result), actor: context.scope.actor, at: context.started)
        try db.run(audit.sql, audit.binds)
        return context.finished(result, id: id)
    }

    private static func insert(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
    }
}
