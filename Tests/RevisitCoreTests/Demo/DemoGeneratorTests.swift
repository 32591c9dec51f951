import Foundation
import RevisitCore
import Testing

@Suite struct DemoGeneratorTests {
    static let stores = [
        DemoStore(id: 1, code: "BJ01", cityIndex: 0, advisors: [(10, "李"), (11, "刘")]),
        DemoStore(id: 2, code: "SH01", cityIndex: 1, advisors: [(20, "赵")]),
    ]

    static func generate(seed: UInt64, customers: Int = 2_000) -> DemoChunk {
        let settings = DemoSettings(
            stores: 2, customers: customers, years: 5, seed: seed, today: LocalDate("2026-11-24")!)
        var generator = DemoGenerator(
            settings: settings, stores: stores, firstIds: (1, 1, 1), now: Date(timeIntervalSince1970: 0))
        var all = DemoChunk()
        while let chunk = generator.nextChunk(size: 500) {
            all.customers += chunk.customers
            all.vehicles += chunk.vehicles
            all.orders += chunk.orders
        }
        return all
    }

    @Test func theSameSeedGivesTheSameDealership() {
        let first = Self.generate(seed: 42, customers: 300)
        let second = Self.generate(seed: 42, customers: 300)
        #expect(first.customers == second.customers)
        #expect(first.vehicles == second.vehicles)
        #expect(first.orders == second.orders)
        #expect(Self.generate(seed: 43, customers: 300).customers != first.customers)
    }

    @Test func theDataIsRealisticWithAFewPercentDirty() {
        let data = Self.generate(seed: 42)
        #expect(data.customers.count == 2_000)
        let badVINs = data.vehicles.filter { !$0.vinValid }.count
        #expect(badVINs > 0 && Double(badVINs) / Double(data.vehicles.count) < 0.03)
        #expect(data.vehicles.allSatisfy { ["L"].contains($0.vin.prefix(1)) && $0.vin.count == 17 })
        let badPhones = data.customers.filter { !($0.primaryPhone?.number.isValid ?? false) }.count
        #expect(badPhones > 0 && Double(badPhones) / Double(data.customers.count) < 0.06)
        let mobiles = data.customers.filter { $0.primaryPhone?.number.format == .mobile }.count
        #expect(Double(mobiles) / Double(data.customers.count) > 0.85)
        let phones = Dictionary(grouping: data.customers, by: { "\($0.storeId)-\($0.primaryPhone!.number.digits)" })
        #expect(phones.values.contains { $0.count > 1 })  // duplicates for the data-quality page
        // Orders follow their vehicles: every order's mileage grows with time for the same vehicle.
        let byVehicle = Dictionary(grouping: data.orders, by: { $0.vehicleId! })
        #expect(data.orders.count > data.customers.count * 4)
        #expect(
            data.orders.allSatisfy {
                $0.totalFen > 0 && $0.lines.count >= 1 && $0.totalFen == $0.laborFen + $0.partsFen
            })
        #expect(byVehicle.values.allSatisfy { orders in orders.allSatisfy { $0.openedOn <= LocalDate("2026-11-24")! } })
        // A long tail: the top 5 % of orders bring far more than 5 % of revenue.
        let totals = data.orders.map(\.totalFen).sorted(by: >)
        let top = totals.prefix(totals.count / 20).reduce(0, +)
        #expect(Double(top) / Double(totals.reduce(0, +)) > 0.2)
    }

    @Test func yearlyChurnLandsBetweenTwentyAndFortyPercent() {
        let data = Self.generate(seed: 42, customers: 3_000)
        var visitsByCustomer: [Int64: Set<Int>] = [:]
        for order in data.orders { visitsByCustomer[order.customerId!, default: []].insert(order.openedOn.year) }
        let active2024 = visitsByCustomer.values.filter { $0.contains(2024) }
        let lost = active2024.filter { !$0.contains(2025) }
        let churn = Double(lost.count) / Double(active2024.count)
        #expect(churn > 0.2 && churn < 0.4, "churn \(churn)")
    }
}
