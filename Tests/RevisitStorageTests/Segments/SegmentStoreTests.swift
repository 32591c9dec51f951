import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// Segmentation runs on both engines, checked customer by customer against a second, independent
/// computation straight from the repair orders.
@Suite struct SegmentStoreTests {
    struct Order {
        let customer: Int64
        let opened: String
        let totalFen: Int64
        let costFen: Int64
    }

    /// A store with `count` customers and a few years of orders, the same every time.
    static func populate(
        _ database: Database, storeId: Int64, count: Int
    ) async throws -> (ids: [Int64], orders: [Order]) {
        var generator = SeededGenerator(seed: 42)
        var ids: [Int64] = []
        var orders: [Order] = []
        try await database.transaction { db in
            for index in 0..<count {
                try await db.raw(
                    """
                    INSERT INTO customers (store_id, customer_no, type, name, gender, created_at, updated_at)
                    VALUES (\(bind: storeId), \(bind: "S\(index)"), 'individual', \(bind: "客户\(index)"), 'unknown', 0, 0)
                    """
                ).run()
            }
        }
        for row in try await database.all(
            "SELECT id FROM customers WHERE store_id = \(bind: storeId) ORDER BY id")
        {
            ids.append(try row.int64("id"))
        }
        let start = LocalDate(year: 2022, month: 6, day: 1)!
        for (index, id) in ids.enumerated() {
            // Every seventh customer never came; some spend nothing; amounts repeat so ranks tie.
            guard index % 7 != 0 else { continue }
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let day = start.addingDays(Int.random(in: 0...1_200, using: &generator))
                let total = index % 11 == 0 ? 0 : Int64.random(in: 1...40, using: &generator) * 5_000
                orders.append(Order(customer: id, opened: day.description, totalFen: total, costFen: total / 3))
            }
        }
        // Boundary visits as of 2025-08-31: exactly 6, 9, 12 and 24 months before, and after the as-of day.
        for (index, day) in ["2025-02-28", "2024-11-30", "2024-08-31", "2023-08-31", "2025-09-01"].enumerated() {
            orders.append(Order(customer: ids[7 * (index + 1)], opened: day, totalFen: 100_000, costFen: 1))
        }
        try await database.transaction { [orders] db in
            for (number, order) in orders.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO repair_orders (store_id, order_no, customer_id, type, opened_on, total_fen, cost_fen,
                        created_at, updated_at)
                    VALUES (\(bind: storeId), \(bind: "R\(number)"), \(bind: order.customer), 'other', \(bind: order.opened),
                        \(bind: order.totalFen), \(bind: order.costFen), 0, 0)
                    """
                ).run()
            }
        }
        return (ids, orders)
    }

    /// DOMAIN §3 read literally, with Foundation's calendar for "k months before".
    static func expected(ids: [Int64], orders: [Order], asOf: String) -> [Int64: CustomerSegments] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        let asOfDate = formatter.date(from: asOf)!
        func monthsBefore(_ months: Int) -> String {
            formatter.string(from: calendar.date(byAdding: .month, value: -months, to: asOfDate)!)
        }
        let windowFrom = monthsBefore(12)
        var revenue: [Int64: Int64] = [:]
        var visits: [Int64: Int] = [:]
        var last: [Int64: String] = [:]
        for order in orders where order.opened <= asOf {
            if order.opened > windowFrom {
                revenue[order.customer, default: 0] += order.totalFen
                visits[order.customer, default: 0] += 1
            }
            last[order.customer] = max(last[order.customer] ?? "", order.opened)
        }
        let count = Double(ids.count)
        let cuts = [0.01, 0.05, 0.20].map { Int((count * $0).rounded(.up)) }
        func score(_ key: (Int64) -> Int64, _ id: Int64) -> Int {
            let below = ids.filter { key($0) < key(id) }.count
            return 1 + 5 * below / ids.count
        }
        var result: [Int64: CustomerSegments] = [:]
        for id in ids {
            let value = revenue[id] ?? 0
            let higher = ids.filter { (revenue[$0] ?? 0) > value }.count
            let valueClass: ValueClass =
                value <= 0 ? .d : higher < cuts[0] ? .a : higher < cuts[1] ? .b : higher < cuts[2] ? .c : .d
            let stage: ChurnStage
            if let visit = last[id] {
                stage =
                    visit > monthsBefore(6)
                    ? .active
                    : visit > monthsBefore(9)
                        ? .semiChurned
                        : visit > monthsBefore(12) ? .atRisk : visit > monthsBefore(24) ? .churned : .lost
            } else {
                stage = .none
            }
            let loyal = (visits[id] ?? 0) >= 2 && (last[id].map { $0 > monthsBefore(6) } ?? false)
            let lastDay: (Int64) -> Int64 = {
                last[$0].flatMap(LocalDate.init).map { Int64($0.dayNumber) } ?? Int64.min
            }
            result[id] = CustomerSegments(
                value: valueClass, quadrant: Quadrant(highValue: valueClass != .d, loyal: loyal),
                rfm: RFMScore(
                    r: score(lastDay, id), f: score({ Int64(visits[$0] ?? 0) }, id), m: score({ revenue[$0] ?? 0 }, id)),
                churnStage: stage, asOf: LocalDate(asOf)!)
        }
        return result
    }

    @Test(arguments: TestDatabase.engines)
    func aRunMatchesTheIndependentComputationCustomerByCustomer(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            let (ids, orders) = try await Self.populate(database, storeId: storeId, count: 420)
            let store = SQLSegmentStore(database: database, now: { Date() })
            let run = try await store.run(
                storeId: storeId, asOf: LocalDate("2025-08-31")!, trigger: .cli, scope: .system)
            let expected = Self.expected(ids: ids, orders: orders, asOf: "2025-08-31")
            #expect(run.counts.customers == 420 && run.moved == 420)
            var mismatches: [String] = []
            for id in ids {
                let got = try await store.segments(customerId: id, storeId: storeId, scope: .system)
                if got != expected[id] { mismatches.append("\(id): \(String(describing: got)) vs \(expected[id]!)") }
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
            // The boundary customers landed where DOMAIN says.
            let stages = try await [7, 14, 21, 28].asyncMap {
                try await store.segments(customerId: ids[$0], storeId: storeId, scope: .system)?.churnStage
            }
            #expect(stages == [.semiChurned, .atRisk, .churned, .lost])
            // 60 customers never came; four of them have a boundary visit, one only after the as-of day.
            #expect(run.counts.churnStage["none"] == 56)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aSecondRunRecordsOnlyTheMovesAndReplacesTheClasses(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            _ = try await Self.populate(database, storeId: storeId, count: 60)
            let store = SQLSegmentStore(database: database, now: { Date() })
            let first = try await store.run(
                storeId: storeId, asOf: LocalDate("2025-08-31")!, trigger: .cli, scope: .system)
            let again = try await store.run(
                storeId: storeId, asOf: LocalDate("2025-08-31")!, trigger: .manual, scope: .system)
            #expect(first.moved == 60 && again.moved == 0 && again.counts == first.counts)
            let later = try await store.run(
                storeId: storeId, asOf: LocalDate("2027-01-01")!, trigger: .nightly, scope: .system)
            #expect(later.moved > 0 && later.counts.churnStage["active"] == 0)
            let kept = try await database.all(
                "SELECT COUNT(*) AS n FROM customer_segments WHERE store_id = \(bind: storeId)")
            #expect(try kept.first?.int64("n") == 60)
            let runs = try await store.runs(storeId: storeId, scope: .system)
            #expect(runs.map(\.trigger) == [.nightly, .manual, .cli] && runs[0].asOf == LocalDate("2027-01-01"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func onlyManagersRunAndOnlyTheirStores(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let store = SQLSegmentStore(database: database, now: { Date() })
            let manager = try await identity.scope(for: fixture.managerA, clientAddress: "t")
            let advisor = try await identity.scope(for: fixture.advisorA, clientAddress: "t")
            let asOf = LocalDate("2025-08-31")!
            await #expect(throws: RevisitError.self) {
                _ = try await store.run(storeId: fixture.storeA.id, asOf: asOf, trigger: .manual, scope: advisor)
            }
            await #expect(throws: RevisitError.self) {
                _ = try await store.run(storeId: fixture.storeB.id, asOf: asOf, trigger: .manual, scope: manager)
            }
            let run = try await store.run(storeId: fixture.storeA.id, asOf: asOf, trigger: .manual, scope: manager)
            #expect(run.userLogin == "manager-a" && run.counts.customers == 0)
            // A store's own thresholds apply to its next run; nonsense is refused and changes nothing.
            var settings = SegmentSettings()
            settings.valueBasis = .grossProfit
            try await store.saveSettings(settings, storeId: fixture.storeA.id, scope: manager)
            var bad = settings
            bad.churnMonths = [9, 6, 12, 24]
            await #expect(throws: RevisitError.self) {
                try await store.saveSettings(bad, storeId: fixture.storeA.id, scope: manager)
            }
            #expect(try await store.settings(storeId: fixture.storeA.id, scope: advisor) == settings)
        }
    }
}

/// A small deterministic generator (SplitMix64) so generated data is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
