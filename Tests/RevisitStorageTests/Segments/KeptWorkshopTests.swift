import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// PostgreSQL keeps the workshop figures by day (`SQLSegmentStore+WorkshopKept`); after orders and
/// vehicles change and days pass, a run's figures must be those of a run from scratch, and the months'
/// and days' visitors those of the orders. On SQLite every run tallies from scratch.
@Suite struct KeptWorkshopTests {
    static func workshop(_ store: SQLSegmentStore, storeId: Int64) async throws -> WorkshopMetrics? {
        try await store.latestMetrics(storeId: storeId, scope: .system)?.metrics.workshop
    }

    /// Distinct visitors of each window month and of each of the last 90 days, from the orders.
    static func visitors(
        _ database: Database, storeId: Int64, asOf: LocalDate
    ) async throws -> (months: [String: Int], days: [LocalDate: Int]) {
        let from = Segmentation.windowStart(asOf: asOf, settings: SegmentSettings()).description
        var months: [String: Set<Int64>] = [:]
        var days: [LocalDate: Set<Int64>] = [:]
        for row in try await database.all(
            "SELECT customer_id, opened_on FROM repair_orders WHERE store_id = \(bind: storeId) AND opened_on <= \(bind: asOf.description)"
        ) {
            let day = try row.string("opened_on")
            let customer = try row.int64("customer_id")
            if day > from { months[String(day.prefix(7)), default: []].insert(customer) }
            if let date = LocalDate(day), date > asOf.addingDays(-90) { days[date, default: []].insert(customer) }
        }
        return (months.mapValues(\.count), days.mapValues(\.count))
    }

    @Test(arguments: TestDatabase.engines)
    func workshopFiguresAfterChangesAndDaysAreThoseFromScratch(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            let (vehicles, _) = try await SegmentMetricsTests.populate(database, storeId: storeId)
            let store = SQLSegmentStore(database: database, now: { Date() })
            func run(_ day: String) async throws -> WorkshopMetrics? {
                _ = try await store.run(storeId: storeId, asOf: LocalDate(day)!, trigger: .cli, scope: .system)
                return try await Self.workshop(store, storeId: storeId)
            }
            _ = try await run("2025-08-31")

            // An order moves to another day and hour, one changes its total, one goes, one comes the next
            // day, and a vehicle's warranty end moves.
            let window = try await database.all(
                """
                SELECT order_no, vehicle_id FROM repair_orders WHERE store_id = \(bind: storeId)
                    AND opened_on > '2025-03-01' AND opened_on <= '2025-08-31' AND vehicle_id IS NOT NULL
                ORDER BY order_no
                """)
            let moved = try window[0].string("order_no")
            try await database.run(
                "UPDATE repair_orders SET opened_on = '2025-08-20', opened_minute = 601 WHERE order_no = \(bind: moved)"
            )
            try await database.run(
                "UPDATE repair_orders SET total_fen = total_fen + 123400 WHERE order_no = \(bind: try window[1].string("order_no"))"
            )
            try await database.run(
                "DELETE FROM repair_orders WHERE order_no = \(bind: try window[2].string("order_no"))")
            try await database.run(
                """
                INSERT INTO repair_orders (store_id, order_no, customer_id, vehicle_id, type, opened_on, opened_minute,
                    mileage_in, total_fen, cost_fen, internal_comeback, external_comeback, created_at, updated_at)
                SELECT store_id, 'MO-new', customer_id, vehicle_id, 'other', '2025-09-01', 555, 1000, 880000, 1, 1, 0, 0, 0
                FROM repair_orders WHERE order_no = \(bind: try window[3].string("order_no"))
                """)
            let vehicle = try window[4].int64("vehicle_id")
            #expect(vehicles.contains { $0.id == vehicle })
            try await database.run(
                "UPDATE vehicles SET warranty_end_date = '2025-06-15' WHERE store_id = \(bind: storeId) AND id = \(bind: vehicle)"
            )

            for day in ["2025-09-01", "2025-10-05", "2025-10-05", "2026-02-28"] {
                let kept = try #require(try await run(day))
                let (months, days) = try await Self.visitors(database, storeId: storeId, asOf: LocalDate(day)!)
                #expect(
                    Dictionary(uniqueKeysWithValues: kept.monthly.map { ($0.month, $0.customers) }) == months, "\(day)")
                #expect(kept.daily.filter { $0.orders > 0 }.count == days.count, "\(day)")
                #expect(kept.daily.allSatisfy { $0.orders == 0 || days[$0.date] == $0.customers }, "\(day)")
                if engine == .postgresql { try await database.run("DELETE FROM workshop_state") }
                let fresh = try #require(try await run(day))
                #expect(kept == fresh, "\(day)")
            }
        }
    }
}
