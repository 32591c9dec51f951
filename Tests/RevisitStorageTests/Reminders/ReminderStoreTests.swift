import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// The daily run on both engines: each rule's reminders created once, messages queued, conversions,
/// outcomes, the list's filters.
@Suite struct ReminderStoreTests {
    static let asOf = LocalDate("2025-08-01")!

    struct World {
        let database: Database
        let fixture: Fixture
        let store: SQLReminderStore
        let customers: [String: Int64]
        let vehicles: [String: Int64]
    }

    /// A few customers and cars, each set up for one rule as of 2025-08-01.
    static func world(_ database: Database) async throws -> World {
        let identity = SQLIdentityStore(database: database, now: { Date() })
        let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
        let storeId = fixture.storeA.id
        var customers: [String: Int64] = [:]
        // name: (birthday, licence review, owner)
        let people: [(String, String?, String?)] = [
            ("maintained", nil, nil), ("newcar", nil, nil), ("insured", nil, "2025-08-20"), ("slipping", nil, nil),
            ("birthday", "1990-08-01", nil), ("lost", "1990-08-01", nil),
        ]
        for (name, birthday, licence) in people {
            let row = try await database.all(
                """
                INSERT INTO customers (store_id, customer_no, type, name, gender, birthday, licence_review_date,
                    owner_id, created_at, updated_at)
                VALUES (\(bind: storeId), \(bind: "N-\(name)"), 'individual', \(bind: name), 'unknown', \(bind: birthday),
                    \(bind: licence), \(bind: fixture.advisorA.id), 0, 0)
                RETURNING id
                """)
            customers[name] = try row[0].int64("id")
        }
        var vehicles: [String: Int64] = [:]
        // name: (owner, delivery, insurance expiry, inspection due)
        let cars: [(String, String, String?, String?, String?)] = [
            ("maintained", "maintained", "2021-05-01", nil, nil),
            ("newcar", "newcar", "2025-05-05", nil, nil),
            ("insured", "insured", "2020-09-01", "2025-08-31", "2025-08-15"),
        ]
        for (name, owner, delivery, insurance, inspection) in cars {
            let row = try await database.all(
                """
                INSERT INTO vehicles (store_id, vin, vin_rev, delivery_date, insurance_expiry, inspection_due,
                    owner_customer_id, created_at, updated_at)
                VALUES (\(bind: storeId), \(bind: "LVIN\(name.uppercased())"), \(bind: "REV-\(name)"), \(bind: delivery),
                    \(bind: insurance), \(bind: inspection), \(bind: customers[owner]!), 0, 0)
                RETURNING id
                """)
            vehicles[name] = try row[0].int64("id")
        }
        // The maintained car: 100 km a day, last serviced 2025-06-01 at 40,000 km → due by km 2025-07-21.
        let orders: [(String, String, String, String, Int64?)] = [
            ("O1", "maintained", "periodic-maintenance", "2024-12-03", 22_000),
            ("O2", "maintained", "periodic-maintenance", "2025-06-01", 40_000),
            ("O3", "newcar", "general-repair", "2025-06-10", 900),
            ("O4", "insured", "general-repair", "2025-06-20", nil),
            ("O5", "slipping", "general-repair", "2024-10-01", nil),
            ("O6", "birthday", "general-repair", "2025-05-01", nil),
            ("O7", "lost", "general-repair", "2021-01-01", nil),
        ]
        for (number, who, type, day, km) in orders {
            try await database.run(
                """
                INSERT INTO repair_orders (store_id, order_no, customer_id, vehicle_id, type, opened_on, mileage_in,
                    created_at, updated_at)
                VALUES (\(bind: storeId), \(bind: number), \(bind: customers[who]!), \(bind: vehicles[who]), \(bind: type),
                    \(bind: day), \(bind: km), 0, 0)
                """)
        }
        _ = try await SQLSegmentStore(database: database, now: { Date() }).run(
            storeId: storeId, asOf: asOf, trigger: .cli, scope: .system)
        return World(
            database: database, fixture: fixture, store: SQLReminderStore(database: database, now: { Date() }),
            customers: customers, vehicles: vehicles)
    }

    @Test(arguments: TestDatabase.engines)
    func eachRuleCreatesItsRemindersOnceAndMessagesAreQueued(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let w = try await Self.world(database)
            let storeId = w.fixture.storeA.id
            let run = try await w.store.run(storeId: storeId, asOf: Self.asOf, trigger: .cli, scope: .system)
            #expect(
                run.created == [
                    "maintenance": 1, "first_maintenance": 1, "insurance": 1, "inspection": 1, "licence": 1,
                    "warranty": 0, "winback": 1, "greeting": 1,
                ])
            #expect(run.alreadyExisting == 0)
            let all = try await w.store.reminders(ReminderQuery(storeId: storeId, limit: 50), scope: .system).items
            let keys = Set(all.map(\.key))
            #expect(keys.contains("maintenance:v\(w.vehicles["maintained"]!):2025-06-01"))
            #expect(keys.contains("first_maintenance:v\(w.vehicles["newcar"]!):1"))
            #expect(keys.contains("insurance:v\(w.vehicles["insured"]!):2025-08-31:30"))
            #expect(keys.contains("winback:c\(w.customers["slipping"]!):at_risk:2024-10-01"))
            #expect(keys.contains("greeting:c\(w.customers["birthday"]!):birthday:2025"))
            let maintenance = try #require(all.first { $0.type == .maintenance })
            #expect(maintenance.dueDate == LocalDate("2025-07-21") && maintenance.basis["kmPerDay"] == "100")
            #expect(maintenance.basis["dueBy"] == "km" && maintenance.ownerId == w.fixture.advisorA.id)
            #expect(maintenance.customerName == "maintained" && maintenance.vin == "LVINMAINTAINED")
            // The greeting speaks through a message; tasks do not.
            let queued = try await database.all("SELECT kind, status FROM outbox_messages")
            #expect(try queued.map { try "\($0.string("kind")) \($0.string("status"))" } == ["marketing pending"])

            let again = try await w.store.run(storeId: storeId, asOf: Self.asOf, trigger: .cli, scope: .system)
            #expect(again.created.values.reduce(0, +) == 0 && again.alreadyExisting == 7)
            #expect(try await database.all("SELECT id FROM outbox_messages").count == 1)
        }
    }

    /// The advisor's day in priority order: what is due by the day first, then value class A to D (the
    /// unclassified last), then the due date.
    @Test(arguments: TestDatabase.engines)
    func theDaysTasksComeInPriorityOrder(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let w = try await Self.world(database)
            let storeId = w.fixture.storeA.id
            _ = try await w.store.run(storeId: storeId, asOf: Self.asOf, trigger: .cli, scope: .system)
            // Make the birthday customer an A and the insured one a D, so the order has something to show.
            try await database.run(
                "UPDATE customer_segments SET value_class = 'A' WHERE customer_id = \(bind: w.customers["birthday"]!)")
            try await database.run(
                "UPDATE customer_segments SET value_class = 'D' WHERE customer_id = \(bind: w.customers["insured"]!)")
            var query = ReminderQuery(storeId: storeId, limit: 50)
            query.priorityAsOf = Self.asOf
            let items = try await w.store.reminders(query, scope: .system)
            #expect(items.nextCursor == nil && items.items.count == 7)
            let keys = items.items.map { ($0.dueDate <= Self.asOf ? 0 : 1, $0.valueClass ?? "Z", $0.dueDate) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }, "\(keys)")
            #expect(items.items.contains { $0.valueClass == "A" } && items.items.contains { $0.valueClass == "D" })
        }
    }

    /// A run reads customers and vehicles a chunk at a time; one record per chunk finds the same.
    @Test(arguments: TestDatabase.engines)
    func aRunReadInChunksOfOneFindsTheSameReminders(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let w = try await Self.world(database)
            let storeId = w.fixture.storeA.id
            let store = SQLReminderStore(database: database, now: { Date() }, chunkSize: 1)
            let run = try await store.run(storeId: storeId, asOf: Self.asOf, trigger: .cli, scope: .system)
            #expect(run.created.values.reduce(0, +) == 7 && run.created["greeting"] == 1)
            let owners = try await database.all("SELECT DISTINCT owner_id FROM reminders")
            #expect(try owners.map { try $0.optionalInt64("owner_id") } == [w.fixture.advisorA.id])
            let again = try await store.run(storeId: storeId, asOf: Self.asOf, trigger: .cli, scope: .system)
            #expect(again.created.values.reduce(0, +) == 0 && again.alreadyExisting == 7)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aVisitConvertsAndAnOutcomeIsRecordedByItsOwner(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let w = try await Self.world(database)
            let storeId = w.fixture.storeA.id
            _ = try await w.store.run(storeId: storeId, asOf: Self.asOf, trigger: .daily, scope: .system)
            // A daily run is once a day.
            await #expect(throws: (any Error).self) {
                _ = try await w.store.run(storeId: storeId, asOf: Self.asOf, trigger: .daily, scope: .system)
            }
            #expect(try await w.store.hasDailyRun(storeId: storeId, asOf: Self.asOf))
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let owner = try await identity.scope(for: w.fixture.advisorA, clientAddress: "t")
            let other = try await identity.scope(for: w.fixture.advisorB, clientAddress: "t")
            let slipping = try #require(
                try await w.store.reminders(ReminderQuery(storeId: storeId, type: .winback), scope: owner).items.first)
            await #expect(throws: RevisitError.self) {
                _ = try await w.store.recordOutcome(id: slipping.id, outcome: .contacted, note: "", scope: other)
            }
            let worked = try await w.store.recordOutcome(
                id: slipping.id, outcome: .appointment, note: "周六上午", scope: owner)
            #expect(worked.status == .done && worked.outcome == .appointment && worked.outcomeNote == "周六上午")
            #expect(worked.outcomeBy == "advisor-a")

            // The customer comes in ten days later: the next run converts the reminder.
            try await database.run(
                """
                INSERT INTO repair_orders (store_id, order_no, customer_id, type, opened_on, created_at, updated_at)
                VALUES (\(bind: storeId), 'O9', \(bind: w.customers["slipping"]!), 'general-repair', '2025-08-11', 0, 0)
                """)
            let later = try await w.store.run(
                storeId: storeId, asOf: LocalDate("2025-08-12")!, trigger: .cli, scope: .system)
            #expect(later.converted == 1)
            let converted = try await w.store.reminder(id: slipping.id, scope: owner)
            #expect(converted.status == .converted && converted.convertedOn == LocalDate("2025-08-11"))
            #expect(converted.outcome == .appointment)

            // Filters: by status, owner, customer number, VIN, due range; other stores see nothing.
            func count(_ query: ReminderQuery, _ scope: Scope = .system) async throws -> Int {
                try await w.store.reminders(query, scope: scope).items.count
            }
            #expect(try await count(ReminderQuery(storeId: storeId, status: .converted)) == 1)
            #expect(try await count(ReminderQuery(storeId: storeId, ownerId: w.fixture.advisorA.id)) == 7)
            #expect(try await count(ReminderQuery(customerNo: "N-insured")) == 3)
            #expect(try await count(ReminderQuery(vin: "lvin-insured")) == 2)
            #expect(
                try await count(ReminderQuery(dueFrom: LocalDate("2025-08-01"), dueTo: LocalDate("2025-08-15"))) == 4)
            #expect(try await count(ReminderQuery(), other) == 0)
            let page = try await w.store.reminders(ReminderQuery(storeId: storeId, limit: 3), scope: .system)
            let rest = try await w.store.reminders(
                ReminderQuery(storeId: storeId, limit: 50, cursor: page.nextCursor), scope: .system)
            #expect(
                page.items.count == 3 && rest.items.count == 4 && Set((page.items + rest.items).map(\.id)).count == 7)
        }
    }
}
