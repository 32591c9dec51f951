import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// The analytics a run keeps, on both engines, against the same figures computed a second way in Swift
/// straight from the rows this test wrote.
@Suite struct SegmentMetricsTests {
    struct Vehicle {
        let id: Int64
        let delivery: String?
        let endDate: String?
        let endKm: Int64?
        let mileage: Int64?
    }

    struct Order {
        let customer: Int64
        let vehicle: Vehicle?
        let opened: String
        let totalFen: Int64
        let mileage: Int64?
        let minute: Int64?
    }

    static let asOf = LocalDate("2025-08-31")!

    static func populate(_ database: Database, storeId: Int64) async throws -> (vehicles: [Vehicle], orders: [Order]) {
        var generator = SeededGenerator(seed: 7)
        try await database.transaction { db in
            for index in 0..<90 {
                try await db.raw(
                    """
                    INSERT INTO customers (store_id, customer_no, type, name, gender, created_at, updated_at)
                    VALUES (\(bind: storeId), \(bind: "M\(index)"), 'individual', \(bind: "客户\(index)"), 'unknown', 0, 0)
                    """
                ).run()
            }
        }
        let ids = try await database.all("SELECT id FROM customers WHERE store_id = \(bind: storeId) ORDER BY id")
            .map { try $0.int64("id") }
        var vehicles: [Int64: Vehicle] = [:]
        let start = LocalDate("2018-01-15")!
        for (index, customer) in ids.enumerated() where index % 3 != 0 {
            let delivery = index % 10 == 1 ? nil : start.addingDays(index * 31).description
            let endDate = index % 5 == 0 ? start.addingDays(index * 31 + 730).description : nil
            let endKm: Int64? = index % 4 == 0 ? 100_000 : nil
            let mileage: Int64? = index % 6 == 1 ? nil : Int64(index) * 1_500
            let row = try await database.all(
                """
                INSERT INTO vehicles (store_id, vin, vin_rev, delivery_date, warranty_end_date, warranty_end_km,
                    mileage_km, owner_customer_id, created_at, updated_at)
                VALUES (\(bind: storeId), \(bind: "VIN\(index)"), \(bind: "NIV\(index)"), \(bind: delivery),
                    \(bind: endDate), \(bind: endKm), \(bind: mileage), \(bind: customer), 0, 0)
                RETURNING id
                """)
            vehicles[customer] = Vehicle(
                id: try row[0].int64("id"), delivery: delivery, endDate: endDate, endKm: endKm, mileage: mileage)
        }
        var orders: [Order] = []
        for (index, customer) in ids.enumerated() where index % 7 != 0 {
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let day = LocalDate("2019-09-01")!.addingDays(Int.random(in: 0...2_250, using: &generator))
                orders.append(
                    Order(
                        customer: customer, vehicle: vehicles[customer], opened: day.description,
                        totalFen: Int64.random(in: 0...60, using: &generator) * 10_000,
                        mileage: index % 9 == 0 ? nil : Int64.random(in: 1_000...120_000, using: &generator),
                        minute: index % 5 == 0 ? nil : Int64.random(in: 450...1_100, using: &generator)))
            }
        }
        try await database.transaction { [orders] db in
            for (number, order) in orders.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO repair_orders (store_id, order_no, customer_id, vehicle_id, type, opened_on, opened_minute,
                        mileage_in,
                        total_fen, cost_fen, internal_comeback, external_comeback, created_at, updated_at)
                    VALUES (\(bind: storeId), \(bind: "MO\(number)"), \(bind: order.customer), \(bind: order.vehicle?.id),
                        'other', \(bind: order.opened), \(bind: order.minute), \(bind: order.mileage), \(bind: order.totalFen),
                        \(bind: order.totalFen / 2), \(bind: Int64(number % 13 == 0 ? 1 : 0)),
                        \(bind: Int64(number % 17 == 0 ? 1 : 0)), 0, 0)
                    """
                ).run()
            }
        }
        return (Array(vehicles.values), orders)
    }

    @Test(arguments: TestDatabase.engines)
    func aRunKeepsTheAnalyticsTheRowsGive(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            let (vehicles, all) = try await Self.populate(database, storeId: storeId)
            let store = SQLSegmentStore(database: database, now: { Date() })
            let run = try await store.run(storeId: storeId, asOf: Self.asOf, trigger: .cli, scope: .system)
            let kept = try #require(try await store.latestMetrics(storeId: storeId, scope: .system))
            #expect(kept.run.id == run.id)
            let metrics = kept.metrics
            let orders = all.filter { $0.opened <= Self.asOf.description }

            // Churn by year: visitors of Y−1 without a visit in Y.
            var years: [Int64: Set<Int>] = [:]
            for order in orders { years[order.customer, default: []].insert(Int(order.opened.prefix(4))!) }
            for churn in metrics.churn {
                let base = years.values.filter { $0.contains(churn.year - 1) }
                #expect(churn.base == base.count, "base \(churn.year)")
                #expect(churn.churned == base.filter { !$0.contains(churn.year) }.count, "churned \(churn.year)")
                #expect(churn.partial == (churn.year == 2025))
            }
            #expect(metrics.churn.map(\.year) == [2020, 2021, 2022, 2023, 2024, 2025])
            #expect(metrics.fiveYearChurn.map(\.year) == [2024, 2025])
            let fiveBase = years.values.filter { $0.contains(2019) }
            #expect(metrics.fiveYearChurn[0].base == fiveBase.count)
            #expect(metrics.fiveYearChurn[0].churned == fiveBase.filter { !$0.contains(2024) }.count)

            // Cohorts: by the quarter of the first visit, the share with a visit k quarters later.
            func quarter(_ day: String) -> Int { CohortRetention.quarterIndex(LocalDate(day)!) }
            var quarters: [Int64: Set<Int>] = [:]
            for order in orders { quarters[order.customer, default: []].insert(quarter(order.opened)) }
            let last = quarter(Self.asOf.description)
            var expected: [String: [Int]] = [:]
            for visited in quarters.values {
                let first = visited.min()!
                guard first > last - 12 else { continue }
                expected[CohortRetention.label(first)] = (0...(last - first)).map { offset in
                    (expected[CohortRetention.label(first)]?[offset] ?? 0) + (visited.contains(first + offset) ? 1 : 0)
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: metrics.cohorts.map { ($0.quarter, $0.retained) }) == expected)
            #expect(metrics.newCustomers.reduce(0) { $0 + $1.customers } == quarters.count)

            // Vehicles: each one's band and warranty as the Swift rules give them.
            let settings = SegmentSettings()
            for vehicle in vehicles {
                let got = try await store.vehicleSegments(vehicleId: vehicle.id, storeId: storeId, scope: .system)
                let delivery = vehicle.delivery.flatMap(LocalDate.init)
                #expect(
                    got?.ageBand == VehicleSegmentation.ageBand(delivery: delivery, asOf: Self.asOf, settings: settings)
                )
                #expect(
                    got?.warranty
                        == VehicleSegmentation.warranty(
                            on: Self.asOf, delivery: delivery, endDate: vehicle.endDate.flatMap(LocalDate.init),
                            endKm: vehicle.endKm, mileageKm: vehicle.mileage, settings: settings),
                    "vehicle \(vehicle)")
            }
            #expect(metrics.vehicles.values.flatMap(\.values).reduce(0, +) == vehicles.count)

            // Workshop months over the window, warranty judged on each order's day and mileage.
            let from = Segmentation.windowStart(asOf: Self.asOf, settings: settings).description
            let window = orders.filter { $0.opened > from }
            var months: [String: (orders: Int, revenue: Int64, inside: Int, outside: Int)] = [:]
            for order in window {
                let status = order.vehicle.map { vehicle in
                    VehicleSegmentation.warranty(
                        on: LocalDate(order.opened)!, delivery: vehicle.delivery.flatMap(LocalDate.init),
                        endDate: vehicle.endDate.flatMap(LocalDate.init), endKm: vehicle.endKm,
                        mileageKm: order.mileage, settings: settings)
                }
                var month = months[String(order.opened.prefix(7))] ?? (0, 0, 0, 0)
                month.orders += 1
                month.revenue += order.totalFen
                if status == .inWarranty { month.inside += 1 }
                if status == .outOfWarranty { month.outside += 1 }
                months[String(order.opened.prefix(7))] = month
            }
            #expect(metrics.workshop.monthly.map(\.month) == months.keys.sorted())
            for month in metrics.workshop.monthly {
                let want = months[month.month]!
                #expect(
                    month.orders == want.orders && month.revenueFen == want.revenue && month.inWarranty == want.inside
                        && month.outOfWarranty == want.outside, "\(month.month)")
            }
            #expect(metrics.workshop.orders == window.count)
            var byHour = Array(repeating: Array(repeating: 0, count: 24), count: 7)
            for order in window {
                guard let minute = order.minute else { continue }
                byHour[WorkshopMetrics.weekday(LocalDate(order.opened)!)][Int(minute / 60)] += 1
            }
            #expect(metrics.workshop.byHour == byHour && byHour.joined().reduce(0, +) > 0)
            #expect(metrics.workshop.customers == Set(window.map(\.customer)).count)
            let recent = orders.filter { $0.opened > Self.asOf.addingDays(-90).description }
            #expect(metrics.workshop.daily.count == 90 && metrics.workshop.daily.last?.date == Self.asOf)
            #expect(metrics.workshop.daily.reduce(0) { $0 + $1.orders } == recent.count)
            #expect(metrics.loyal == run.counts.quadrant["core"]! + run.counts.quadrant["regular"]!)

            // A second run the same day moves nobody; its analytics are the ones read from then on.
            let again = try await store.run(storeId: storeId, asOf: Self.asOf, trigger: .manual, scope: .system)
            let latest = try #require(try await store.latestMetrics(storeId: storeId, scope: .system))
            #expect(again.moved == 0 && latest.run.id == again.id && latest.metrics.moves == SegmentMoves())
            #expect(metrics.moves.value["new"]?.values.reduce(0, +) == 90)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func metricsAreReadOnlyWithinTheScopeAndOneNightlyRunPerDay(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let store = SQLSegmentStore(database: database, now: { Date() })
            let advisorA = try await identity.scope(for: fixture.advisorA, clientAddress: "t")
            _ = try await store.run(storeId: fixture.storeB.id, asOf: Self.asOf, trigger: .nightly, scope: .system)
            await #expect(throws: RevisitError.self) {
                _ = try await store.requireMetrics(storeId: fixture.storeB.id, scope: advisorA)
            }
            #expect(
                try await store.latestMetrics(storeIds: [fixture.storeA.id, fixture.storeB.id], scope: advisorA).isEmpty
            )
            do {
                _ = try await store.requireMetrics(storeId: fixture.storeA.id, scope: advisorA)
                Issue.record("a store without a run had metrics")
            } catch let error as RevisitError {
                #expect(error.code == .noSegmentRun)
            }
            #expect(try await store.hasRun(storeId: fixture.storeB.id, asOf: Self.asOf, trigger: .nightly))
            // A second server's nightly run of the same day is refused by the database, leaving one.
            await #expect(throws: (any Error).self) {
                _ = try await store.run(storeId: fixture.storeB.id, asOf: Self.asOf, trigger: .nightly, scope: .system)
            }
            #expect(try await store.runs(storeId: fixture.storeB.id, scope: .system).count == 1)
        }
    }
}
