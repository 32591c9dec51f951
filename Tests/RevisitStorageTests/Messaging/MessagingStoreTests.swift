import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// The outbox and bulk sends on both engines: who is queued and why the others are not, claims and
/// leases, recording answers once, receipts in any order, opt-outs that stop what is already queued.
@Suite struct MessagingStoreTests {
    /// Noon in Shanghai on a Monday: outside quiet hours.
    static let noon = Date(timeIntervalSince1970: 1_772_424_000)  // 2026-03-02 04:00 UTC

    struct World {
        let database: Database
        let fixture: Fixture
        let clock: TestClock
        let messaging: SQLMessagingStore
        let outbox: SQLOutbox
        let customers: [String: Int64]
        var storeId: Int64 { fixture.storeA.id }
        var manager: Scope { MessagingStoreTests.scope(fixture.managerA) }
    }

    static func scope(_ user: User) -> Scope {
        Scope(userId: user.id, login: user.login, role: user.role, storeIds: Set(user.storeIds), clientAddress: "test")
    }

    /// Customers of store A: name → (mobile, marketing consent, service consent).
    static let people: [(String, String?, Bool, Bool)] = [
        ("consents", "13800000001", true, true), ("noconsent", "13800000002", false, true),
        ("optedout", "13800000003", true, true), ("landline", nil, true, true),
        ("noservice", "13800000005", true, false), ("busy", "13800000006", true, true),
    ]

    static func world(_ database: Database) async throws -> World {
        let identity = SQLIdentityStore(database: database, now: { Date() })
        let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
        let storeId = fixture.storeA.id
        var customers: [String: Int64] = [:]
        for (index, (name, mobile, marketing, service)) in people.enumerated() {
            let row = try await database.all(
                """
                INSERT INTO customers (store_id, customer_no, type, name, gender, consent_sms, consent_service,
                    primary_phone, owner_id, created_at, updated_at)
                VALUES (\(bind: storeId), \(bind: "N\(index)"), 'individual', \(bind: name),
                    \(bind: index % 2 == 0 ? "male" : "female"), \(bind: marketing ? 1 : 0), \(bind: service ? 1 : 0),
                    \(bind: mobile ?? "01085550101"), \(bind: fixture.advisorA.id), 0, 0)
                RETURNING id
                """)
            let id = try row[0].int64("id")
            customers[name] = id
            let digits = mobile ?? "01085550101"
            try await database.run(
                """
                INSERT INTO customer_phones (store_id, customer_id, digits, digits_rev, kind, format, is_primary, position)
                VALUES (\(bind: storeId), \(bind: id), \(bind: digits), \(bind: String(digits.reversed())),
                    \(bind: mobile == nil ? "home" : "mobile"), \(bind: mobile == nil ? "landline" : "mobile"), 1, 0)
                """)
        }
        try await database.run(
            """
            INSERT INTO vehicles (store_id, vin, vin_rev, plate, owner_customer_id, created_at, updated_at)
            VALUES (\(bind: storeId), 'LVSHCAMB1CE012345', '54321', '京A12345', \(bind: customers["consents"]!), 0, 0)
            """)
        let clock = TestClock(Self.noon)
        let messaging = SQLMessagingStore(database: database, now: clock.function)
        let world = World(
            database: database, fixture: fixture, clock: clock, messaging: messaging,
            outbox: SQLOutbox(database: database, now: clock.function), customers: customers)
        try await messaging.addOptOut(phone: "138 0000 0003", note: "前台", storeId: storeId, scope: world.manager)
        // Four marketing messages this month already: the cap.
        for index in 0..<4 {
            try await database.run(
                """
                INSERT INTO outbox_messages (store_id, customer_id, source_type, source_id, kind, status, created_at,
                    phone, body, next_attempt_at, updated_at)
                VALUES (\(bind: storeId), \(bind: customers["busy"]!), 'test', \(bind: Int64(index)), 'marketing',
                    'submitted', \(bind: noon.epochMilliseconds - 1000), '13800000006', 'x', 0, 0)
                """)
        }
        return world
    }

    static func template(
        _ world: World, kind: MessageKind, body: String = "{{customerName}}{{customerTitle}}您好，{{plate}}保养八折。"
    )
        async throws -> MessageTemplate
    {
        try await world.messaging.saveTemplate(
            TemplateDraft(name: kind.rawValue, kind: kind, body: body), id: nil, storeId: world.storeId,
            scope: world.manager)
    }

    func statuses(_ world: World) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await world.database.all(
            "SELECT status, COUNT(*) AS n FROM outbox_messages WHERE source_type <> 'test' GROUP BY status")
        {
            out[try row.string("status")] = Int(try row.int64("n"))
        }
        return out
    }

    @Test(arguments: TestDatabase.engines)
    func aBulkSendQueuesWhoMayBeMessagedAndRecordsWhyTheOthersAreNot(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let world = try await Self.world(database)
            let marketing = try await Self.template(world, kind: .marketing)
            let preview = try await world.messaging.previewBulkSend(
                templateId: marketing.id, query: CustomerQuery(), storeId: world.storeId, scope: world.manager)
            #expect(preview.candidates == 6 && preview.recipients == 2)
            #expect(preview.excluded == [.noConsent: 1, .optedOut: 1, .noMobile: 1, .capped: 1])
            #expect(preview.sampleText == "consents先生您好，京A12345保养八折。回T退订" && preview.segments.parts == 1)
            #expect(try await statuses(world).isEmpty, "a preview writes nothing")

            let send = try await world.messaging.createBulkSend(
                templateId: marketing.id, query: CustomerQuery(), filters: [:], storeId: world.storeId,
                scope: world.manager)
            #expect(send.status == .queued && send.progress == ["queued": 2, "refused": 4])
            let refused = try await world.database.all(
                "SELECT refusal FROM outbox_messages WHERE status = 'refused' ORDER BY refusal")
            #expect(try refused.map { try $0.string("refusal") } == ["capped", "no_consent", "no_mobile", "opted_out"])

            // Service: the opt-out and the cap do not apply; the service consent does.
            let service = try await Self.template(world, kind: .service, body: "{{customerName}}：您的车已修好。")
            let servicePreview = try await world.messaging.previewBulkSend(
                templateId: service.id, query: CustomerQuery(), storeId: world.storeId, scope: world.manager)
            #expect(servicePreview.recipients == 4 && servicePreview.excluded == [.noMobile: 1, .noConsent: 1])
            // The list's filters narrow it; another store's user sees nothing of it.
            var filtered = CustomerQuery()
            filtered.consentSMS = false
            #expect(
                try await world.messaging.previewBulkSend(
                    templateId: service.id, query: filtered, storeId: world.storeId, scope: world.manager
                ).candidates == 1)
            await #expect(throws: RevisitError.self) {
                _ = try await world.messaging.previewBulkSend(
                    templateId: service.id, query: CustomerQuery(), storeId: world.storeId,
                    scope: Self.scope(world.fixture.marketingB))
            }
            await #expect(throws: RevisitError.self) {
                _ = try await world.messaging.createBulkSend(
                    templateId: service.id, query: CustomerQuery(), filters: [:], storeId: world.storeId,
                    scope: Self.scope(world.fixture.advisorA))
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLargeSendWaitsForAManagerAndIsWorkedOutAgainWhenApproved(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let world = try await Self.world(database)
            var settings = MessagingSettings()
            settings.approvalThreshold = 1
            try await world.messaging.saveSettings(settings, storeId: world.storeId, scope: world.manager)
            let service = try await Self.template(world, kind: .service)
            let marketer = Scope(
                userId: nil, login: "mkt", role: .marketing, storeIds: [world.storeId], clientAddress: "test")
            let send = try await world.messaging.createBulkSend(
                templateId: service.id, query: CustomerQuery(), filters: [:], storeId: world.storeId, scope: marketer)
            #expect(send.status == .awaitingApproval && send.progress.isEmpty)
            await #expect(throws: RevisitError.self) {
                _ = try await world.messaging.decideBulkSend(id: send.id, approve: true, scope: marketer)
            }
            let approved = try await world.messaging.decideBulkSend(id: send.id, approve: true, scope: world.manager)
            #expect(approved.status == .queued && approved.progress["queued"] == 4 && approved.decidedBy == "manager-a")
            await #expect(throws: RevisitError.self) {
                _ = try await world.messaging.decideBulkSend(id: send.id, approve: false, scope: world.manager)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func claimsAreLeasedAndAnswersRecordedOnceWhateverTheOrder(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let world = try await Self.world(database)
            let service = try await Self.template(world, kind: .service)
            _ = try await world.messaging.createBulkSend(
                templateId: service.id, query: CustomerQuery(), filters: [:], storeId: world.storeId,
                scope: world.manager)
            let first = try await world.outbox.claim(limit: 3, worker: "w1", lease: 600)
            let second = try await world.outbox.claim(limit: 10, worker: "w2", lease: 60)
            #expect(first.count == 3 && second.count == 1)
            #expect(Set(first.map(\.id)).isDisjoint(with: second.map(\.id)))
            #expect(first.allSatisfy { $0.attempts == 1 && !$0.phone.isEmpty && $0.body.contains("保养八折") })
            #expect(try await world.outbox.claim(limit: 10, worker: "w3", lease: 60).isEmpty, "all leased")

            // w2 dies; its lease runs out and the message comes back, marked as tried before.
            world.clock.set(Self.noon.addingTimeInterval(61))
            let reclaimed = try await world.outbox.claim(limit: 10, worker: "w3", lease: 60)
            #expect(reclaimed.map(\.id) == second.map(\.id) && reclaimed.first?.attempts == 2)

            // A receipt before the submit's answer; the answer then keeps the receipt's word.
            let early = first[0]
            #expect(
                try await world.outbox.applyReceipt(
                    DeliveryReceipt(
                        idempotencyKey: early.idempotencyKey, providerMessageId: "gw-1", status: "delivered",
                        at: Self.noon)))
            let provider = "http"
            try await world.outbox.record([
                SendResult(
                    id: early.id, storeId: early.storeId, provider: provider, outcome: .accepted(providerId: "gw-1")),
                SendResult(
                    id: first[1].id, storeId: first[1].storeId, provider: provider,
                    outcome: .accepted(providerId: "gw-2")),
                SendResult(
                    id: first[2].id, storeId: first[2].storeId, provider: provider,
                    outcome: .unknown(error: "timeout", at: Self.noon.addingTimeInterval(120))),
                SendResult(
                    id: reclaimed[0].id, storeId: reclaimed[0].storeId, provider: provider,
                    outcome: .retry(error: "HTTP 503", at: Self.noon.addingTimeInterval(200))),
            ])
            // The same answer twice (a worker whose lease ran out records late) changes nothing.
            try await world.outbox.record([
                SendResult(
                    id: first[1].id, storeId: first[1].storeId, provider: provider,
                    outcome: .accepted(providerId: "gw-2"))
            ])
            #expect(
                try await statuses(world) == ["delivered": 1, "submitted": 1, "unknown": 1, "queued": 1, "refused": 2])
            // A receipt by the provider's id alone, twice: delivered, once on the timeline.
            let byId = DeliveryReceipt(idempotencyKey: nil, providerMessageId: "gw-2", status: "DELIVRD", at: Self.noon)
            #expect(try await world.outbox.applyReceipt(byId))
            #expect(try await world.outbox.applyReceipt(byId))
            #expect(
                !(try await world.outbox.applyReceipt(
                    DeliveryReceipt(
                        idempotencyKey: "999999", providerMessageId: nil, status: "delivered", at: Self.noon))))
            let timeline = try await world.database.all(
                "SELECT COUNT(*) AS n FROM interactions WHERE kind = 'sms' AND summary LIKE '%保养八折%'")
            #expect(try timeline[0].int64("n") == 2)
            // The unknown one comes due again for a status query; the retry waits for its back-off.
            world.clock.set(Self.noon.addingTimeInterval(150))
            let due = try await world.outbox.claim(limit: 10, worker: "w4", lease: 60)
            #expect(due.map(\.id) == [first[2].id] && due[0].attempts == 2)
            // A person retries a failed message.
            try await world.outbox.record([
                SendResult(
                    id: due[0].id, storeId: due[0].storeId, provider: provider, outcome: .failed(error: "HTTP 400"))
            ])
            let retried = try await world.messaging.retry(messageId: due[0].id, scope: world.manager)
            #expect(retried.status == .queued)
            await #expect(throws: RevisitError.self) {
                _ = try await world.messaging.retry(messageId: early.id, scope: world.manager)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anOptOutStopsWhatIsQueuedAndQuietHoursHoldMarketing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let world = try await Self.world(database)
            let marketing = try await Self.template(world, kind: .marketing)
            _ = try await world.messaging.createBulkSend(
                templateId: marketing.id, query: CustomerQuery(), filters: [:], storeId: world.storeId,
                scope: world.manager)
            // The customer replies TD before the worker gets to it; the inbound webhook records it at once.
            let outcome = try await world.outbox.receiveInbound(
                phone: "+86 138 0000 0001", text: "td", providerMessageId: "in-1")
            #expect(outcome.stores == [world.storeId] && outcome.optedOutStores == [world.storeId])
            #expect(try await statuses(world) == ["queued": 1, "refused": 5])
            let optOuts = try await world.messaging.optOuts(storeId: world.storeId, scope: world.manager)
            #expect(optOuts.map(\.phone).sorted() == ["13800000001", "13800000003"])
            #expect(optOuts.first { $0.phone == "13800000001" }?.source == "inbound")
            // A text that is not a stop word is kept and on the timeline, nothing more.
            let chat = try await world.outbox.receiveInbound(
                phone: "13800000005", text: "周六有空吗", providerMessageId: nil)
            #expect(chat.stores == [world.storeId] && chat.optedOutStores.isEmpty)
            // A phone nobody knows is in no store.
            #expect(
                try await world.outbox.receiveInbound(phone: "13999999999", text: "TD", providerMessageId: nil).stores
                    .isEmpty)

            // 22:30 in Shanghai: the remaining marketing message is held until 08:00, not sent or dropped.
            world.clock.set(Self.noon.addingTimeInterval(10.5 * 3600))
            #expect(try await world.outbox.claim(limit: 10, worker: "w", lease: 60).isEmpty)
            #expect(try await statuses(world)["held"] == 1)
            world.clock.set(Self.noon.addingTimeInterval(20 * 3600 + 60))
            #expect(try await world.outbox.claim(limit: 10, worker: "w", lease: 60).count == 1)

            // Withdrawn consent after queueing also stops it.
            let second = try await world.messaging.saveTemplate(
                TemplateDraft(name: "second", kind: .marketing, body: "再会"), id: nil, storeId: world.storeId,
                scope: world.manager)
            try await world.database.run(
                "UPDATE customers SET consent_sms = 1 WHERE id = \(bind: world.customers["noconsent"]!)")
            _ = try await world.messaging.createBulkSend(
                templateId: second.id, query: CustomerQuery(), filters: [:], storeId: world.storeId,
                scope: world.manager)
            try await world.database.run("UPDATE customers SET consent_sms = 0")
            #expect(try await world.outbox.claim(limit: 10, worker: "w", lease: 60).isEmpty)
            let withdrawn = try await world.database.all(
                "SELECT COUNT(*) AS n FROM outbox_messages WHERE refusal = 'no_consent' AND template_id = \(bind: second.id)"
            )
            #expect(try withdrawn[0].int64("n") == 2, "noconsent and noservice, queued with consent, refused without")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func reminderMessagesGetTheStoresWordsAndTheRules(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let world = try await Self.world(database)
            _ = try await world.messaging.saveTemplate(
                TemplateDraft(
                    name: "节日", kind: .marketing, purpose: "reminder.greeting",
                    body: "{{customerName}}{{customerTitle}}，{{storeName}}祝您{{occasion}}"), id: nil,
                storeId: world.storeId, scope: world.manager)
            for (index, name) in ["consents", "noconsent", "noservice"].enumerated() {
                let reminder = try await database.all(
                    """
                    INSERT INTO reminders (store_id, reminder_key, type, customer_id, due_date, created_on,
                        convert_until, channel, reason, args, status, created_at)
                    VALUES (\(bind: world.storeId), \(bind: "k\(index)"), \(bind: index == 2 ? "insurance" : "greeting"),
                        \(bind: world.customers[name]!), '2026-03-20', '2026-03-02', '2026-04-01', 'message',
                        \(bind: index == 2 ? "insurance" : "greeting.festival"), '{"festival":"mid_autumn"}', 'open', 0)
                    RETURNING id
                    """)
                try await database.run(
                    """
                    INSERT INTO outbox_messages (store_id, customer_id, source_type, source_id, kind, status, created_at)
                    VALUES (\(bind: world.storeId), \(bind: world.customers[name]!), 'reminder',
                        \(bind: try reminder[0].int64("id")), \(bind: index == 2 ? "service" : "marketing"), 'pending', 0)
                    """)
            }
            #expect(try await world.outbox.prepare() == 3)
            #expect(try await world.outbox.prepare() == 0)
            let rows = try await database.all(
                "SELECT status, refusal, body, phone FROM outbox_messages WHERE source_type = 'reminder' ORDER BY id")
            #expect(try rows[0].string("status") == "queued")
            #expect(try rows[0].string("body") == "consents先生，甲店 Alpha祝您中秋节快乐回T退订")
            #expect(try rows[0].string("phone") == "13800000001")
            #expect(try rows[1].string("status") == "refused" && rows[1].optionalString("refusal") == "no_consent")
            // No store template for insurance: the built-in words; this customer said no to service messages.
            #expect(try rows[2].string("body").contains("保险将于2026-03-20到期"))
            #expect(try rows[2].optionalString("refusal") == "no_consent")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aMergeMovesMessagesWithoutBreakingOneMessagePerSend(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let world = try await Self.world(database)
            let service = try await Self.template(world, kind: .service)
            _ = try await world.messaging.createBulkSend(
                templateId: service.id, query: CustomerQuery(), filters: [:], storeId: world.storeId,
                scope: world.manager)
            let survivor = world.customers["consents"]!
            let merged = world.customers["busy"]!
            _ = try await SQLCustomerStore(database: database, now: world.clock.function).merge(
                survivorId: survivor, mergedId: merged, taking: [], scope: world.manager)
            func count(_ customer: Int64, _ source: String) async throws -> Int64 {
                try await database.all(
                    """
                    SELECT COUNT(*) AS n FROM outbox_messages WHERE customer_id = \(bind: customer)
                        AND source_type = \(bind: source)
                    """)[0].int64("n")
            }
            // The four earlier marketing messages follow the survivor (the cap sees them); the bulk send,
            // which both records got, stays one message per record.
            let moved = (try await count(survivor, "test"), try await count(merged, "test"))
            let sends = (try await count(survivor, "bulk_send"), try await count(merged, "bulk_send"))
            #expect(moved == (4, 0))
            #expect(sends == (1, 1))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func templatesAreCheckedNamedOnceAndKeptToTheirStore(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let world = try await Self.world(database)
            let saved = try await Self.template(world, kind: .marketing)
            await #expect(throws: RevisitError.self) { _ = try await Self.template(world, kind: .marketing) }
            await #expect(throws: RevisitError.self) {
                _ = try await world.messaging.saveTemplate(
                    TemplateDraft(name: "typo", kind: .service, body: "{{custmerName}}"), id: nil,
                    storeId: world.storeId, scope: world.manager)
            }
            let preview = try await world.messaging.previewTemplate(
                TemplateDraft(name: "p", kind: .marketing, body: "{{customerName}}，{{storeName}} {{storePhone}}"),
                storeId: world.storeId, customerId: world.customers["noconsent"], scope: world.manager)
            #expect(preview.customer == "noconsent" && preview.text == "noconsent，甲店 Alpha 010-1111回T退订")
            let other = Self.scope(world.fixture.marketingB)
            await #expect(throws: RevisitError.self) {
                _ = try await world.messaging.template(id: saved.id, scope: other)
            }
            await #expect(throws: RevisitError.self) {
                try await world.messaging.deleteTemplate(id: saved.id, scope: Self.scope(world.fixture.advisorA))
            }
            try await world.messaging.deleteTemplate(id: saved.id, scope: world.manager)
            #expect(try await world.messaging.templates(storeId: world.storeId, scope: world.manager).isEmpty)
        }
    }
}
