import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// PostgreSQL brings each customer's sums forward from the last run (`SQLSegmentStore+ActivityKept`);
/// whatever changed in between, a run must classify as a sum from scratch does. On SQLite every run sums
/// from scratch, so there these checks hold by construction.
@Suite struct KeptActivityTests {
    typealias Order = SegmentStoreTests.Order

    /// The classes of every live customer against the independent computation over `orders`.
    static func mismatches(
        _ store: SQLSegmentStore, storeId: Int64, ids: [Int64], orders: [Order], asOf: String
    ) async throws -> [String] {
        let expected = SegmentStoreTests.expected(ids: ids, orders: orders, asOf: asOf)
        var found: [String] = []
        for id in ids {
            let got = try await store.segments(customerId: id, storeId: storeId, scope: .system)
            if got != expected[id] { found.append("\(asOf) \(id): \(String(describing: got)) vs \(expected[id]!)") }
        }
        return found
    }

    /// The last run's analytics but its moves (a second run of a day has none).
    static func metrics(_ store: SQLSegmentStore, storeId: Int64) async throws -> StoreMetrics? {
        var metrics = try await store.latestMetrics(storeId: storeId, scope: .system)?.metrics
        metrics?.moves = SegmentMoves()
        return metrics
    }

    @Test(arguments: TestDatabase.engines)
    func runsAfterOrdersAndCustomersChangeClassifyAsASumFromScratch(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            var (ids, orders) = try await SegmentStoreTests.populate(database, storeId: storeId, count: 140)
            let store = SQLSegmentStore(database: database, now: { Date() })
            func run(_ day: String) async throws -> SegmentRun {
                try await store.run(storeId: storeId, asOf: LocalDate(day)!, trigger: .cli, scope: .system)
            }
            let broughtForward = "activity brought forward"
            #expect(try await run("2025-08-31").phases[broughtForward] == nil)
            #expect(
                try await Self.mismatches(store, storeId: storeId, ids: ids, orders: orders, asOf: "2025-08-31") == [])

            // Between runs: an order's total changes, one moves to another customer, one is deleted, one
            // comes for the next day, a customer arrives with no orders, and one is merged into another.
            func order(_ number: Int) -> Order { orders[number] }
            try await database.run("UPDATE repair_orders SET total_fen = 7777700 WHERE order_no = 'R3'")
            orders[3] = Order(
                customer: order(3).customer, opened: order(3).opened, totalFen: 7_777_700, costFen: order(3).costFen)
            try await database.run(
                "UPDATE repair_orders SET customer_id = \(bind: ids[2]) WHERE order_no = 'R10'")
            orders[10] = Order(
                customer: ids[2], opened: order(10).opened, totalFen: order(10).totalFen, costFen: order(10).costFen)
            try await database.run("DELETE FROM repair_orders WHERE order_no = 'R20'")
            orders.remove(at: 20)
            try await database.run(
                """
                INSERT INTO repair_orders (store_id, order_no, customer_id, type, opened_on, total_fen, cost_fen,
                    created_at, updated_at)
                VALUES (\(bind: storeId), 'R-new', \(bind: ids[5]), 'other', '2025-09-01', 990000, 1, 0, 0)
                """)
            orders.append(Order(customer: ids[5], opened: "2025-09-01", totalFen: 990_000, costFen: 1))
            try await database.run(
                """
                INSERT INTO customers (store_id, customer_no, type, name, gender, created_at, updated_at)
                VALUES (\(bind: storeId), 'S-new', 'individual', '新客户', 'unknown', 0, 0)
                """)
            let newcomer = try await database.all(
                "SELECT id FROM customers WHERE store_id = \(bind: storeId) AND customer_no = 'S-new'")
            ids.append(try newcomer[0].int64("id"))
            try await database.run(
                "UPDATE customers SET merged_into_id = \(bind: ids[1]) WHERE store_id = \(bind: storeId) AND id = \(bind: ids[8])"
            )
            orders.removeAll { $0.customer == ids[8] }
            ids.remove(at: 8)

            // The next day, six weeks on, the same day again, a year on: brought forward on PostgreSQL.
            for day in ["2025-09-01", "2025-10-15", "2025-10-15", "2026-10-16"] {
                let later = try await run(day)
                #expect(later.phases[broughtForward] != nil || engine == .sqlite, "\(day)")
                #expect(later.counts.customers == ids.count)
                #expect(try await Self.mismatches(store, storeId: storeId, ids: ids, orders: orders, asOf: day) == [])
            }
            // The analytics read the kept years and quarters: the same as from scratch.
            let kept = try await Self.metrics(store, storeId: storeId)
            if engine == .postgresql { try await database.run("DELETE FROM customer_activity_state") }
            #expect(try await run("2026-10-16").phases[broughtForward] == nil)
            #expect(try await Self.metrics(store, storeId: storeId) == kept)

            // A day back, and two years on (the kept bit sets would overflow): summed from scratch.
            for day in ["2025-06-30", "2025-07-01", "2027-12-31"] {
                let other = try await run(day)
                #expect((other.phases[broughtForward] != nil) == (day == "2025-07-01" && engine == .postgresql))
                #expect(try await Self.mismatches(store, storeId: storeId, ids: ids, orders: orders, asOf: day) == [])
            }
        }
    }
}
