import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// A run writes only the customers and vehicles whose classes changed; what is kept must still be
/// exactly what a run from nothing would keep.
@Suite struct SegmentChangesTests {
    /// Every stored class of the store, by customer, as the readers see it.
    static func stored(_ store: SQLSegmentStore, ids: [Int64]) async throws -> [Int64: CustomerSegments] {
        try await store.segments(customerIds: ids, scope: .system)
    }

    @Test(arguments: TestDatabase.engines)
    func aLaterRunKeepsExactlyWhatAFreshRunWould(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            var (ids, orders) = try await SegmentStoreTests.populate(database, storeId: storeId, count: 140)
            let store = SQLSegmentStore(database: database, now: { Date() })
            _ = try await store.run(storeId: storeId, asOf: LocalDate("2025-08-31")!, trigger: .cli, scope: .system)
            let before = try await Self.stored(store, ids: ids)

            // Between the runs: one customer merged into another, one new customer with a visit, one
            // customer's big order, and a month passes.
            let merged = ids[3]
            try await database.run(
                "UPDATE customers SET merged_into_id = \(bind: ids[4]) WHERE id = \(bind: merged)")
            ids.removeAll { $0 == merged }
            orders.removeAll { $0.customer == merged }
            let newcomer = try await database.all(
                """
                INSERT INTO customers (store_id, customer_no, type, name, gender, created_at, updated_at)
                VALUES (\(bind: storeId), 'NEW1', 'individual', '新客户', 'unknown', 0, 0) RETURNING id
                """
            )[0].int64("id")
            ids.append(newcomer)
            for (number, order) in [
                SegmentStoreTests.Order(customer: newcomer, opened: "2025-09-20", totalFen: 80_000, costFen: 1),
                SegmentStoreTests.Order(customer: ids[10], opened: "2025-09-21", totalFen: 9_000_000, costFen: 1),
            ].enumerated() {
                try await database.run(
                    """
                    INSERT INTO repair_orders (store_id, order_no, customer_id, type, opened_on, total_fen, cost_fen,
                        created_at, updated_at)
                    VALUES (\(bind: storeId), \(bind: "LATER\(number)"), \(bind: order.customer), 'other',
                        \(bind: order.opened), \(bind: order.totalFen), \(bind: order.costFen), 0, 0)
                    """)
                orders.append(order)
            }
            let later = try await store.run(
                storeId: storeId, asOf: LocalDate("2025-09-30")!, trigger: .nightly, scope: .system)

            let expected = SegmentStoreTests.expected(ids: ids, orders: orders, asOf: "2025-09-30")
            let after = try await Self.stored(store, ids: ids + [merged])
            #expect(after.count == ids.count && after[merged] == nil)
            let wrong = ids.filter { after[$0] != expected[$0] }
            #expect(wrong.isEmpty, "\(wrong.prefix(3).map { "\(after[$0].map(String.init(describing:)) ?? "-")" })")
            // Every row carries the later run's day, those it did not rewrite too.
            #expect(after.values.allSatisfy { $0.asOf == LocalDate("2025-09-30")! })
            let kept = try await database.all(
                "SELECT COUNT(*) AS n FROM customer_segments WHERE store_id = \(bind: storeId)")
            #expect(try kept[0].int64("n") == Int64(ids.count))
            // The moves are the customers whose value class or stage differ from the last run's.
            let moved = ids.filter {
                before[$0]?.value != expected[$0]?.value || before[$0]?.churnStage != expected[$0]?.churnStage
            }
            #expect(later.moved == moved.count && moved.contains(newcomer))
        }
    }

    /// The nightly run and a manager's button at the same moment: the classes kept are whole, those of
    /// the run that committed last (on PostgreSQL the runs take turns on the store's row while each reads
    /// on connections of its own).
    @Test(arguments: TestDatabase.engines)
    func runsAtTheSameMomentLeaveTheLastOnesClassesWhole(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            let (ids, orders) = try await SegmentStoreTests.populate(database, storeId: storeId, count: 120)
            let store = SQLSegmentStore(database: database, now: { Date() })
            _ = try await store.run(storeId: storeId, asOf: LocalDate("2025-06-30")!, trigger: .cli, scope: .system)
            async let nightly = store.run(
                storeId: storeId, asOf: LocalDate("2025-08-31")!, trigger: .nightly, scope: .system)
            async let button = store.run(
                storeId: storeId, asOf: LocalDate("2027-01-01")!, trigger: .manual, scope: .system)
            let runs = try await [nightly, button]
            let last = try #require(runs.max { $0.id < $1.id })
            let expected = SegmentStoreTests.expected(ids: ids, orders: orders, asOf: last.asOf.description)
            let after = try await Self.stored(store, ids: ids)
            #expect(after.count == ids.count)
            #expect(ids.filter { after[$0] != expected[$0] }.isEmpty)
        }
    }

    /// A run that read its snapshot before another run wrote compares with what that run kept, not with
    /// what it read: its classes land whole, never mixed with the other run's.
    @Test func aRunWrittenAfterAnotherRunLandsWhole() async throws {
        try await TestDatabase.with(.sqlite) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            let (ids, orders) = try await SegmentStoreTests.populate(database, storeId: storeId, count: 90)
            let store = SQLSegmentStore(database: database, now: { Date() })
            let asOf = LocalDate("2025-08-31")!
            _ = try await store.run(storeId: storeId, asOf: asOf, trigger: .cli, scope: .system)
            let reader = try #require(database.sqliteReader)
            let context = SQLSegmentStore.RunContext(
                sql: SegmentRunSQL(storeId: storeId, asOf: asOf, settings: SegmentSettings()), trigger: .manual,
                scope: .system, started: Date(), clock: .now)
            // Read against the first run's classes: nothing changed as of the same day.
            let reading = try reader.readTogether { first, second in
                try SQLSegmentStore.read(context, on: first, second)
            }
            #expect(reading.result.changes.changed.isEmpty)
            // Meanwhile a run as of much later moves everyone.
            _ = try await store.run(
                storeId: storeId, asOf: LocalDate("2027-01-01")!, trigger: .nightly, scope: .system)
            let run = try reader.write { db in try SQLSegmentStore.write(context, reading, on: db) }
            let expected = SegmentStoreTests.expected(ids: ids, orders: orders, asOf: "2025-08-31")
            let after = try await Self.stored(store, ids: ids)
            #expect(ids.allSatisfy { after[$0] == expected[$0] })
            #expect(run.moved > 0)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aVehicleIsRewrittenOnlyWhenItsBandOrWarrantyChanges(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            var vehicles: [Int64] = []
            for (index, delivery) in ["2025-03-01", "2023-06-01", "2020-03-01"].enumerated() {
                vehicles.append(
                    try await database.all(
                        """
                        INSERT INTO vehicles (store_id, vin, vin_rev, delivery_date, created_at, updated_at)
                        VALUES (\(bind: storeId), \(bind: "VIN\(index)"), \(bind: "NIV\(index)"), \(bind: delivery), 0, 0)
                        RETURNING id
                        """
                    )[0].int64("id"))
            }
            let store = SQLSegmentStore(database: database, now: { Date() })
            func classes() async throws -> [AgeBand?] {
                try await vehicles.asyncMap {
                    try await store.vehicleSegments(vehicleId: $0, storeId: storeId, scope: .system)?.ageBand
                }
            }
            let first = try await store.run(
                storeId: storeId, asOf: LocalDate("2025-08-31")!, trigger: .cli, scope: .system)
            #expect(try await classes() == [.upToOne, .oneToThree, .overThree])
            // The DMS corrects a delivery date; a year later the first car is 1–3 as well.
            try await database.run(
                "UPDATE vehicles SET delivery_date = '2025-08-01' WHERE id = \(bind: vehicles[2])")
            let second = try await store.run(
                storeId: storeId, asOf: LocalDate("2026-03-01")!, trigger: .cli, scope: .system)
            #expect(try await classes() == [.oneToThree, .oneToThree, .upToOne])
            let metrics = try #require(try await store.latestMetrics(storeId: storeId, scope: .system))
            #expect(metrics.run.id == second.id && metrics.run.id != first.id)
            #expect(metrics.metrics.vehicles["1_3"]?.values.reduce(0, +) == 2)
            let segment = try await store.vehicleSegments(vehicleId: vehicles[0], storeId: storeId, scope: .system)
            #expect(segment?.asOf == LocalDate("2026-03-01")!)
            // A vehicle removed from the database (by hand: the product merges, never deletes) loses its
            // classes at the next run and leaves the counts.
            try await database.run("DELETE FROM vehicles WHERE id = \(bind: vehicles[1])")
            _ = try await store.run(storeId: storeId, asOf: LocalDate("2026-03-02")!, trigger: .cli, scope: .system)
            #expect(try await classes() == [.oneToThree, nil, .upToOne])
            let counted = try #require(try await store.latestMetrics(storeId: storeId, scope: .system))
            #expect(counted.metrics.vehicles.values.flatMap(\.values).reduce(0, +) == 2)
        }
    }
}
