import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// Every live customer's activity as of the run's day, on PostgreSQL, from the sums kept since the last
    /// run (`SegmentRunSQL+ActivityKept`): the customers noted since are summed anew from their own
    /// orders, and the others moved to this day by the orders between the two days and between the two
    /// window starts. Everyone is summed anew when nothing is kept, the day went back, the kept bit sets
    /// would overflow, or more than a tenth of the customers were noted (an import of the whole file:
    /// their orders looked up customer by customer would cost more than one pass over them all). The
    /// sums, the notes taken and the kept day change together in this connection's transaction, which
    /// commits before the run's own: should the run then fail, they still agree with each other, and the
    /// next run goes on from them.
    static func keptActivity(
        _ sql: SegmentRunSQL, on db: any SQLDatabase
    ) async throws -> ([CustomerActivity], [StoredSegment], Laps) {
        var laps = Laps()
        // The sums' grouping, and the read's join and sort, fit in memory instead of spilling to disk at
        // the default 4 MB.
        try await db.raw("SET LOCAL work_mem = '256MB'").run()
        let kept = try await db.raw(SQLQueryString(sql.activityState)).first().flatMap(ActivityState.init(row:))
        for statement in sql.takeNotes(from: "customer_activity_dirty", "customer_id", "BIGINT", into: "activity_noted")
        {
            try await db.raw(SQLQueryString(statement)).run()
        }
        try await db.raw("ANALYZE activity_noted").run()
        let origins: VisitOrigins
        if let kept, kept.asOf <= sql.asOf, kept.origins.hold(sql.asOf),
            try await count(SegmentRunSQL.countNoted, on: db) * 10 <= kept.customers
        {
            origins = kept.origins
            try await db.raw(SQLQueryString(sql.dropNoted)).run()
            try await db.raw(SQLQueryString(sql.sumNoted(origins))).run()
            try await db.raw(SQLQueryString(sql.moveKept(from: kept, origins))).run()
            laps.lap("activity brought forward")
        } else {
            origins = VisitOrigins(asOf: sql.asOf)
            try await db.raw(SQLQueryString(sql.dropKept)).run()
            try await db.raw(SQLQueryString(sql.sumAll(origins))).run()
            laps.lap("activity summed")
        }
        try await db.raw(SQLQueryString(sql.saveState(origins))).run()
        try await db.raw(SQLQueryString(SegmentRunSQL.mergedRead)).run()
        let rows = try await PostgresRows.map(sql.readKept(origins), on: db, SegmentRunSQL.keptRow)
        let activities = rows.compactMap(\.0)
        try await db.raw(SQLQueryString(sql.saveCount(activities.count))).run()
        laps.lap("activity and kept classes read")
        return (activities, rows.compactMap(\.1), laps)
    }

    private static func count(_ sql: String, on db: any SQLDatabase) async throws -> Int {
        Int(try await db.raw(SQLQueryString(sql)).first().map { try $0.int64("n") } ?? 0)
    }
}

extension ActivityState {
    /// Nil for days that do not read as days (only this file writes them): everyone is then summed anew.
    init?(row: any SQLRow) throws {
        guard let asOf = LocalDate(try row.string("as_of")), let from = LocalDate(try row.string("window_from"))
        else { return nil }
        self.init(
            asOf: asOf, windowFrom: from,
            origins: VisitOrigins(
                year: Int(try row.int64("year_origin")), quarter: Int(try row.int64("quarter_origin"))),
            customers: Int(try row.int64("customers")))
    }
}
