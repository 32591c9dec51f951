import Foundation
import NIOPosix
import RevisitCore
import SQLKit

/// Segmentation runs and their results. A run reads every customer's activity, classifies in memory
/// (the pyramid and the quintiles rank customers against each other), and writes the classes that
/// changed since the last run in one transaction: lists see the last run or this one, never a mix.
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
        return try await StoreSettingsTable.load("segment_settings", storeId: storeId, from: database)
            ?? SegmentSettings()
    }

    public func saveSettings(_ settings: SegmentSettings, storeId: Int64, scope: Scope) async throws {
        try Self.requireReader(storeId, scope)
        guard scope.role.canRunSegments else { throw RevisitError(.forbidden, code: .forbidden) }
        let valid = try settings.validated()
        let at = now()
        try await database.transaction { db in
            try await StoreSettingsTable.save(valid, "segment_settings", storeId: storeId, at: at, on: db)
        }
    }

    /// Classifies every customer of the store as of `asOf` and keeps the result, with the store's
    /// analytics, in one transaction: lists see the last run or this one, never a mix. On SQLite it runs
    /// on the direct connection (a store's customers are read and written a million rows at a time,
    /// which through SQLKit cost more than the statements themselves), reading in a snapshot first and
    /// holding the write lock only to write; on PostgreSQL in one transaction (`SQLSegmentStore+Postgres`).
    public func run(
        storeId: Int64, asOf: LocalDate, trigger: SegmentRun.Trigger, scope: Scope
    ) async throws -> SegmentRun {
        try Self.requireReader(storeId, scope)
        guard scope.role.canRunSegments else { throw RevisitError(.forbidden, code: .forbidden) }
        let context = RunContext(
            sql: SegmentRunSQL(
                storeId: storeId, asOf: asOf, settings: try await settings(storeId: storeId, scope: scope)),
            trigger: trigger, scope: scope, started: now(), clock: .now)
        if let direct = database.sqliteReader {
            return try await NIOThreadPool.singleton.runIfActive {
                let reading = try direct.readTogether { first, second in try Self.read(context, on: first, second) }
                return try direct.write { db in try Self.write(context, reading, on: db) }
            }
        }
        return try await database.transaction { db in try await Self.run(context, database: database, on: db) }
    }

    /// What both engines' runs share.
    struct RunContext: Sendable {
        let sql: SegmentRunSQL
        let trigger: SegmentRun.Trigger
        let scope: Scope
        let started: Date
        let clock: ContinuousClock.Instant

        func audit(id: Int64, _ result: SegmentRunResult) -> AuditRecord {
            AuditRecord(
                action: .segmentRun, entityType: "segment_run", entityId: String(id), storeId: sql.storeId,
                detail: "as of \(sql.asOf) customers \(result.counts.customers) moved \(result.moves.count)")
        }

        func finished(_ result: SegmentRunResult, id: Int64) -> SegmentRun {
            SegmentRun(
                id: id, storeId: sql.storeId, asOf: sql.asOf, trigger: trigger, userLogin: scope.login,
                counts: result.counts, moved: result.moves.count, startedAt: started, durationMs: durationMs)
        }

        var durationMs: Int64 { Int64((ContinuousClock.now - clock) / .milliseconds(1)) }
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
            SELECT s.*, \(unsafeRaw: Self.runDay) FROM customer_segments s
            WHERE s.store_id = \(bind: storeId) AND s.customer_id = \(bind: customerId)
            """
        ).first.map(Self.segments)
    }

    /// The classes of several customers (those the scope may see), by customer id.
    public func segments(customerIds: [Int64], scope: Scope) async throws -> [Int64: CustomerSegments] {
        let ids = Array(Set(customerIds))
        guard !ids.isEmpty else { return [:] }
        var found: [Int64: CustomerSegments] = [:]
        for row in try await database.all(
            "SELECT s.*, \(unsafeRaw: Self.runDay) FROM customer_segments s WHERE " + scope.storeFilter("s.store_id")
                + " AND s.customer_id IN (\(binds: ids))"
        ) {
            found[try row.int64("customer_id")] = try Self.segments(row)
        }
        return found
    }

    /// The store's last run's day, beside a customer_segments row `s` (every run keeps every customer's
    /// classes, writing only those that changed).
    static let runDay =
        "(SELECT r.as_of FROM segment_runs r WHERE r.store_id = s.store_id ORDER BY r.id DESC LIMIT 1) AS as_of"

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
