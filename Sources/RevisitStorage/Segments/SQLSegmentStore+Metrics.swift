import Foundation
import RevisitCore
import SQLKit

/// A run with the analytics it kept: what dashboards and the metrics API read.
public struct StoreRunMetrics: Sendable, Codable {
    public var run: SegmentRun
    public var metrics: StoreMetrics

    public init(run: SegmentRun, metrics: StoreMetrics) {
        self.run = run
        self.metrics = metrics
    }
}

extension SQLSegmentStore {
    /// The store's last run that kept analytics; nil before the first.
    public func latestMetrics(storeId: Int64, scope: Scope) async throws -> StoreRunMetrics? {
        try Self.requireReader(storeId, scope)
        return try await latestMetrics(storeIds: [storeId]).first
    }

    /// The last run of each of these stores (those the scope may see), in the order given; stores
    /// without a run are left out.
    public func latestMetrics(storeIds: [Int64], scope: Scope) async throws -> [StoreRunMetrics] {
        try await latestMetrics(storeIds: storeIds.filter { scope.canSee(store: $0) })
    }

    private func latestMetrics(storeIds: [Int64]) async throws -> [StoreRunMetrics] {
        guard !storeIds.isEmpty else { return [] }
        var found: [Int64: StoreRunMetrics] = [:]
        for row in try await database.all(
            """
            SELECT r.* FROM segment_runs r
            WHERE r.store_id IN (\(binds: storeIds)) AND r.metrics IS NOT NULL AND r.id = (
                SELECT MAX(l.id) FROM segment_runs l WHERE l.store_id = r.store_id AND l.metrics IS NOT NULL)
            """
        ) {
            let run = try Self.run(row)
            let metrics = try JSONDecoder().decode(StoreMetrics.self, from: Data(try row.string("metrics").utf8))
            found[run.storeId] = StoreRunMetrics(run: run, metrics: metrics)
        }
        return storeIds.compactMap { found[$0] }
    }

    /// A vehicle's age band and warranty status from the store's last run.
    public func vehicleSegments(vehicleId: Int64, storeId: Int64, scope: Scope) async throws -> VehicleSegments? {
        try Self.requireReader(storeId, scope)
        guard
            let row = try await database.all(
                """
                SELECT s.age_band, s.warranty, \(unsafeRaw: Self.runDay) FROM vehicle_segments s
                WHERE s.store_id = \(bind: storeId) AND s.vehicle_id = \(bind: vehicleId)
                """
            ).first,
            let band = AgeBand(rawValue: try row.string("age_band")),
            let warranty = WarrantyStatus(rawValue: try row.string("warranty")),
            let asOf = LocalDate(try row.string("as_of"))
        else { return nil }
        return VehicleSegments(ageBand: band, warranty: warranty, asOf: asOf)
    }
}

extension SQLSegmentStore {
    /// Whether the store already has a run of this kind as of the day (the nightly job asks before it
    /// starts; the unique index settles a race between servers).
    public func hasRun(storeId: Int64, asOf: LocalDate, trigger: SegmentRun.Trigger) async throws -> Bool {
        try await !database.all(
            """
            SELECT 1 AS one FROM segment_runs WHERE store_id = \(bind: storeId) AND as_of = \(bind: asOf.description)
                AND trigger_kind = \(bind: trigger.rawValue)
            """
        ).isEmpty
    }
}

extension SQLSegmentStore {
    /// The last run's analytics, or a refusal that says a run is needed first.
    public func requireMetrics(storeId: Int64, scope: Scope) async throws -> StoreRunMetrics {
        guard let latest = try await latestMetrics(storeId: storeId, scope: scope) else {
            throw RevisitError(.notFound, code: .noSegmentRun)
        }
        return latest
    }
}

extension SQLSegmentStore {
    /// A customer's movements between classes, newest first: the history the 360 page shows.
    public func moves(customerId: Int64, storeId: Int64, limit: Int = 20, scope: Scope) async throws -> [SegmentMove] {
        try Self.requireReader(storeId, scope)
        return try await database.all(
            """
            SELECT r.as_of, m.from_value, m.to_value, m.from_stage, m.to_stage FROM segment_moves m
            JOIN segment_runs r ON r.store_id = m.store_id AND r.id = m.run_id
            WHERE m.store_id = \(bind: storeId) AND m.customer_id = \(bind: customerId)
            ORDER BY m.run_id DESC LIMIT \(bind: Int64(limit))
            """
        ).map { row in
            SegmentMove(
                asOf: LocalDate(try row.string("as_of")) ?? LocalDate(year: 2000, month: 1, day: 1)!,
                fromValue: try row.optionalString("from_value"), toValue: try row.string("to_value"),
                fromStage: try row.optionalString("from_stage"), toStage: try row.string("to_stage"))
        }
    }
}
