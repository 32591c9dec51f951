import Foundation
import PostgresNIO
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// The run on PostgreSQL, in one transaction. Runs of one store take turns (the store's row locked for
    /// the transaction, without blocking rows that reference it), so each compares with the last one's
    /// classes as committed. The customers' kept sums, brought to this day and read with the kept classes
    /// (`keptActivity`), and the workshop figures are read on two more connections while this one brings
    /// the vehicles' classes forward (`keptVehicleClasses`); the lock keeps another run from writing the
    /// classes before they are compared. Three connections of the pool are taken for the run.
    static func run(_ context: RunContext, database: Database, on db: any SQLDatabase) async throws -> SegmentRun {
        let sql = context.sql
        var laps = Laps()
        try await db.raw(SQLQueryString(sql.lockStore)).run()
        async let activity = database.transaction { second in try await keptActivity(sql, on: second) }
        async let beside = database.transaction { third in try await readBeside(sql, on: third) }
        let vehicles = try await keptVehicleClasses(sql, on: db)
        laps.lap("vehicles")
        let (activities, previous, activityLaps) = try await activity
        var (workshop, besideLaps) = try await beside
        laps.lap("waiting for the others")
        laps.add(activityLaps)
        laps.add(besideLaps)
        let result = SegmentRunResult(activities, previous: previous, asOf: sql.asOf, settings: sql.settings)
        laps.lap("classify")
        let start = try sql.insertRun(
            trigger: context.trigger, login: context.scope.login, counts: result.counts, started: context.started)
        let id = try await db.raw(SQLQueryString(start.sql, binds: start.binds)).first().map { try $0.int64("id") } ?? 0
        try await writeChanges(result, sql: sql, on: db)
        try await PostgresCopyRows.rows(
            result.moves.lazy.map { sql.moveRow($0, runId: id) }, capacity: result.moves.count * 40
        ).copy(into: "segment_moves", columns: SegmentRunSQL.moveColumns, on: db)
        laps.lap("write")
        workshop.customers = activities.count { $0.windowVisits > 0 }
        let finish = try sql.finishRun(
            id: id, moved: result.moves.count, durationMs: context.durationMs,
            metrics: result.metrics(asOf: sql.asOf, settings: sql.settings, workshop: workshop, vehicles: vehicles))
        try await db.raw(SQLQueryString(finish.sql, binds: finish.binds)).run()
        try await AuditWriter.insert(
            context.audit(id: id, result), actor: context.scope.actor, at: context.started, on: db)
        var run = context.finished(result, id: id)
        run.phases = laps.phases
        return run
    }

    /// What the third connection reads: the workshop figures, with its laps.
    private static func readBeside(_ sql: SegmentRunSQL, on db: any SQLDatabase) async throws -> (WorkshopMetrics, Laps)
    {
        var laps = Laps()
        let workshop = try await keptWorkshop(sql, on: db)
        laps.lap("workshop")
        return (workshop, laps)
    }

    /// The changed customers' classes: a store's first run COPYs straight into the table; later runs COPY
    /// the changes into a scratch table and upsert from it (a million single-row statements would cost a
    /// round trip each).
    private static func writeChanges(
        _ result: SegmentRunResult, sql: SegmentRunSQL, on db: any SQLDatabase
    ) async throws {
        let changed = result.changes.changed
        let rows = PostgresCopyRows.rows(
            changed.lazy.map { sql.segmentRow(result.activities[$0], result.segments[$0]) },
            capacity: changed.count * 40)
        if try await db.raw(SQLQueryString(sql.anyStoredSegment)).first() == nil {
            try await rows.copy(into: "customer_segments", columns: SegmentRunSQL.segmentColumns, on: db)
        } else if !changed.isEmpty {
            try await db.raw(SQLQueryString(SegmentRunSQL.createChanges)).run()
            try await rows.copy(into: "segment_changes", columns: SegmentRunSQL.segmentColumns, on: db)
            try await db.raw(SQLQueryString(SegmentRunSQL.upsertChanges)).run()
        }
        for chunk in stride(from: 0, to: result.changes.removed.count, by: 1_000) {
            let ids = result.changes.removed[chunk..<min(chunk + 1_000, result.changes.removed.count)]
            try await db.raw(
                "DELETE FROM customer_segments WHERE store_id = \(bind: sql.storeId) AND customer_id IN (\(binds: Array(ids)))"
            ).run()
        }
    }
}
