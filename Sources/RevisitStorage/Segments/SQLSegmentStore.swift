import Foundation
import RevisitCore
import SQLKit

/// Segmentation runs and their results. A run reads every customer's activity in one statement,
/// classifies in memory (the pyramid and the quintiles rank customers against each other), and replaces
/// the store's classes in one transaction: lists see the last run or this one, never a mix.
public struct SQLSegmentStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    static func requireReader(_ storeId: Int64, _ scope: Scope) throws {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
    }

    /// The store's thresholds: its own when saved, else DOMAIN's.
    public func settings(storeId: Int64, scope: Scope) async throws -> SegmentSettings {
        try Self.requireReader(storeId, scope)
        let row = try await database.all(
            "SELECT settings FROM segment_settings WHERE store_id = \(bind: storeId)"
        ).first
        guard let text = try row?.string("settings") else { return SegmentSettings() }
        return try JSONDecoder().decode(SegmentSettings.self, from: Data(text.utf8))
    }

    public func saveSettings(_ settings: SegmentSettings, storeId: Int64, scope: Scope) async throws {
        try Self.requireReader(storeId, scope)
        guard scope.role.canRunSegments else { throw RevisitError(.forbidden, code: .forbidden) }
        let text = String(decoding: try JSONEncoder().encode(try settings.validated()), as: UTF8.self)
        let at = now().epochMilliseconds
        try await database.transaction { db in
            try await db.raw("DELETE FROM segment_settings WHERE store_id = \(bind: storeId)").run()
            try await db.raw(
                "INSERT INTO segment_settings (store_id, settings, updated_at) VALUES (\(bind: storeId), \(bind: text), \(bind: at))"
            ).run()
        }
    }

    /// Classifies every customer of the store as of `asOf` and keeps the result.
    public func run(
        storeId: Int64, asOf: LocalDate, trigger: SegmentRun.Trigger, scope: Scope
    ) async throws -> SegmentRun {
        try Self.requireReader(storeId, scope)
        guard scope.role.canRunSegments else { throw RevisitError(.forbidden, code: .forbidden) }
        let started = now()
        let clock = ContinuousClock.now
        let settings = try await settings(storeId: storeId, scope: scope)
        let activities = try await activity(storeId: storeId, asOf: asOf, settings: settings)
        let segments = Segmentation.classify(activities, asOf: asOf, settings: settings)
        let counts = SegmentCounts(segments)
        return try await database.transaction { db in
            var previous: [Int64: (value: String, stage: String)] = [:]
            for row in try await db.raw(
                "SELECT customer_id, value_class, churn_stage FROM customer_segments WHERE store_id = \(bind: storeId)"
            ).all() {
                previous[try row.int64("customer_id")] = (try row.string("value_class"), try row.string("churn_stage"))
            }
            var summary = SegmentMoves()
            var moves: [[BulkInsert.Value]] = []
            var rows: [[BulkInsert.Value]] = []
            rows.reserveCapacity(segments.count)
            let id = try await insertRun(
                storeId: storeId, asOf: asOf, trigger: trigger, scope: scope, counts: counts, settings: settings,
                started: started, on: db)
            for (activity, segment) in zip(activities, segments) {
                let before = previous[activity.customerId]
                if before?.value != segment.value.rawValue || before?.stage != segment.churnStage.rawValue {
                    summary.add(
                        fromValue: before?.value, toValue: segment.value.rawValue, fromStage: before?.stage,
                        toStage: segment.churnStage.rawValue)
                    moves.append([
                        storeId, id, activity.customerId, before?.value, segment.value.rawValue, before?.stage,
                        segment.churnStage.rawValue,
                    ])
                }
                rows.append([
                    storeId, activity.customerId, id, asOf.description, segment.value.rawValue,
                    segment.quadrant.rawValue, Int64(segment.rfm.r), Int64(segment.rfm.f), Int64(segment.rfm.m),
                    segment.churnStage.rawValue,
                ])
            }
            try await db.raw("DELETE FROM customer_segments WHERE store_id = \(bind: storeId)").run()
            try await BulkInsert.rows(
                "customer_segments",
                columns: [
                    "store_id", "customer_id", "run_id", "as_of", "value_class", "quadrant", "rfm_r", "rfm_f", "rfm_m",
                    "churn_stage",
                ], rows, on: db)
            try await BulkInsert.rows(
                "segment_moves",
                columns: ["store_id", "run_id", "customer_id", "from_value", "to_value", "from_stage", "to_stage"],
                moves, on: db)
            let vehicles = try await replaceVehicleSegments(
                storeId: storeId, runId: id, asOf: asOf, settings: settings, on: db)
            let workshop = try await workshop(
                storeId: storeId, asOf: asOf, settings: settings,
                customers: activities.count { $0.windowVisits > 0 }, on: db)
            let metrics = StoreAnalytics.metrics(
                activities, segments: segments, asOf: asOf, workshop: workshop, vehicles: vehicles, moves: summary)
            let metricsText = String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self)
            let duration = Int64((ContinuousClock.now - clock) / .milliseconds(1))
            try await db.raw(
                """
                UPDATE segment_runs SET moved = \(bind: Int64(moves.count)), duration_ms = \(bind: duration),
                    metrics = \(bind: metricsText)
                WHERE store_id = \(bind: storeId) AND id = \(bind: id)
                """
            ).run()
            try await AuditWriter.insert(
                AuditRecord(
                    action: .segmentRun, entityType: "segment_run", entityId: String(id), storeId: storeId,
                    detail: "as of \(asOf) customers \(counts.customers) moved \(moves.count)"),
                actor: scope.actor, at: started, on: db)
            return SegmentRun(
                id: id, storeId: storeId, asOf: asOf, trigger: trigger, userLogin: scope.login, counts: counts,
                moved: moves.count, startedAt: started, durationMs: duration)
        }
    }

    private func insertRun(
        storeId: Int64, asOf: LocalDate, trigger: SegmentRun.Trigger, scope: Scope, counts: SegmentCounts,
        settings: SegmentSettings, started: Date, on db: any SQLDatabase
    ) async throws -> Int64 {
        let countsText = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        let settingsText = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        return try await db.raw(
            """
            INSERT INTO segment_runs (store_id, as_of, trigger_kind, user_login, customers, moved, counts, settings,
                started_at, duration_ms)
            VALUES (\(bind: storeId), \(bind: asOf.description), \(bind: trigger.rawValue), \(bind: scope.login),
                \(bind: Int64(counts.customers)), 0, \(bind: countsText), \(bind: settingsText),
                \(bind: started.epochMilliseconds), 0)
            RETURNING id
            """
        ).first().map { try $0.int64("id") } ?? 0
    }
}

extension SQLSegmentStore {
    /// The store's runs, newest first.
    public func runs(storeId: Int64, limit: Int = 20, scope: Scope) async throws -> [SegmentRun] {
        try Self.requireReader(storeId, scope)
        return try await database.all(
            """
            SELECT * FROM segment_runs WHERE store_id = \(bind: storeId)
            ORDER BY started_at DESC, id DESC LIMIT \(bind: Int64(limit))
            """
        ).map(Self.run)
    }

    /// A customer's classes from the store's last run; nil before any run or for a customer it did not see.
    public func segments(customerId: Int64, storeId: Int64, scope: Scope) async throws -> CustomerSegments? {
        try Self.requireReader(storeId, scope)
        return try await database.all(
            """
            SELECT * FROM customer_segments WHERE store_id = \(bind: storeId) AND customer_id = \(bind: customerId)
            """
        ).first.map(Self.segments)
    }

    /// The classes of several customers (those the scope may see), by customer id.
    public func segments(customerIds: [Int64], scope: Scope) async throws -> [Int64: CustomerSegments] {
        let ids = Array(Set(customerIds))
        guard !ids.isEmpty else { return [:] }
        var found: [Int64: CustomerSegments] = [:]
        for row in try await database.all(
            "SELECT * FROM customer_segments WHERE " + scope.storeFilter("store_id")
                + " AND customer_id IN (\(binds: ids))"
        ) {
            found[try row.int64("customer_id")] = try Self.segments(row)
        }
        return found
    }

    static func segments(_ row: any SQLRow) throws -> CustomerSegments {
        func decoded<T: RawRepresentable>(_ column: String) throws -> T where T.RawValue == String {
            let text = try row.string(column)
            guard let value = T(rawValue: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(column) \(text)"))
            }
            return value
        }
        return CustomerSegments(
            value: try decoded("value_class"), quadrant: try decoded("quadrant"),
            rfm: RFMScore(
                r: Int(try row.int64("rfm_r")), f: Int(try row.int64("rfm_f")), m: Int(try row.int64("rfm_m"))),
            churnStage: try decoded("churn_stage"),
            asOf: LocalDate(try row.string("as_of")) ?? LocalDate(year: 2000, month: 1, day: 1)!)
    }

    static func run(_ row: any SQLRow) throws -> SegmentRun {
        SegmentRun(
            id: try row.int64("id"), storeId: try row.int64("store_id"),
            asOf: LocalDate(try row.string("as_of")) ?? LocalDate(year: 2000, month: 1, day: 1)!,
            trigger: SegmentRun.Trigger(rawValue: try row.string("trigger_kind")) ?? .manual,
            userLogin: try row.string("user_login"),
            counts: try JSONDecoder().decode(SegmentCounts.self, from: Data(try row.string("counts").utf8)),
            moved: Int(try row.int64("moved")), startedAt: try row.date("started_at"),
            durationMs: try row.int64("duration_ms"))
    }
}
