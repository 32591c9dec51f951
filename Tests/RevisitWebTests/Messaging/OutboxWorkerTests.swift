import Foundation
import Logging
import RevisitCore
import RevisitJobs
import RevisitTestSupport
import SQLKit
import Testing

@testable import RevisitStorage

/// The worker and the http provider against the fake gateway on loopback: signed, once per message,
/// patient with a failing or absent gateway, and asking before sending again after a lost answer.
@Suite(.serialized) struct OutboxWorkerTests {
    static let secret = "test-secret"

    /// Noon in Shanghai: outside quiet hours.
    static func clock() -> TestClock { TestClock(Date(timeIntervalSince1970: 1_772_424_000)) }

    /// `count` customers of a store with mobiles and a service message queued to each.
    static func queue(_ count: Int, on database: Database, clock: TestClock) async throws -> Int64 {
        let store = try await SQLIdentityStore(database: database, now: { Date() }).createStore(
            StoreDraft(code: "W01", name: "工作店"), scope: .system)
        for index in 0..<count {
            let mobile = "1390000\(String(format: "%04d", index))"
            let row = try await database.all(
                """
                INSERT INTO customers (store_id, customer_no, type, name, gender, primary_phone, created_at, updated_at)
                VALUES (\(bind: store.id), \(bind: "W\(index)"), 'individual', \(bind: "客户\(index)"), 'unknown',
                    \(bind: mobile), 0, 0) RETURNING id
                """)
            try await database.run(
                """
                INSERT INTO customer_phones (store_id, customer_id, digits, digits_rev, kind, format, is_primary, position)
                VALUES (\(bind: store.id), \(bind: try row[0].int64("id")), \(bind: mobile), \(bind: String(mobile.reversed())),
                    'mobile', 'mobile', 1, 0)
                """)
        }
        let messaging = SQLMessagingStore(database: database, now: clock.function)
        let template = try await messaging.saveTemplate(
            TemplateDraft(name: "通知", kind: .service, body: "{{customerName}}您好，车已修好。"), id: nil, storeId: store.id,
            scope: .system)
        let send = try await messaging.createBulkSend(
            templateId: template.id, query: CustomerQuery(), filters: [:], storeId: store.id, scope: .system)
        #expect(send.progress["queued"] == count)
        return store.id
    }

    static func worker(
        _ database: Database, clock: TestClock, url: String, secret: String = secret, timeout: TimeInterval = 5
    ) throws -> (OutboxWorker, HTTPSMSProvider) {
        let settings = SMSSettings(
            provider: .http, url: url, secret: secret, timeout: timeout, concurrency: 8, lease: 30,
            retry: RetryPolicy(base: 10, cap: 60, maxAttempts: 5))
        let provider = try HTTPSMSProvider(settings: settings)
        let worker = OutboxWorker(
            outbox: SQLOutbox(database: database, now: clock.function), provider: provider, settings: settings,
            name: "test", now: clock.function, logger: TestDatabase.logger)
        return (worker, provider)
    }

    static func statuses(_ database: Database) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await database.all("SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status") {
            out[try row.string("status")] = Int(try row.int64("n"))
        }
        return out
    }

    @Test(arguments: TestDatabase.engines)
    func everyMessageReachesTheGatewayOnceSignedWithItsKey(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let clock = Self.clock()
            _ = try await Self.queue(30, on: database, clock: clock)
            let gateway = try FakeGateway.start(secret: Self.secret)
            let (worker, provider) = try Self.worker(database, clock: clock, url: gateway.url)
            while try await worker.tick() {}
            await provider.shutdown()
            let stats = try await gateway.stats()
            #expect(stats["accepted"] == 30 && stats["resubmissions"] == 0 && stats["badSignature"] == 0)
            #expect(try await Self.statuses(database) == ["submitted": 30])
            // The gateway's ids are on our rows, and its keys are our ids.
            var ids: [String: String] = [:]
            for row in try await database.all("SELECT id, provider_message_id FROM outbox_messages") {
                ids[String(try row.int64("id"))] = try row.optionalString("provider_message_id")
            }
            for message in try await gateway.messages() {
                let key = try #require(message["key"] as? String)
                #expect(ids[key] == message["id"] as? String)
                #expect((message["text"] as? String)?.hasSuffix("您好，车已修好。") == true)
            }
            gateway.stop()
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aWrongSecretFailsAndAFailingGatewayIsRetriedWithBackOff(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let clock = Self.clock()
            _ = try await Self.queue(4, on: database, clock: clock)
            let gateway = try FakeGateway.start(secret: Self.secret, arguments: ["--fail-rate", "1"])
            let (worker, provider) = try Self.worker(database, clock: clock, url: gateway.url)
            try await worker.tick()
            // 500s: nothing accepted, every message back in the queue for ten seconds.
            #expect(try await Self.statuses(database) == ["queued": 4])
            #expect(try await worker.tick() == false, "not due yet")
            try await gateway.configure(["failRate": 0])
            clock.advance(by: 11)
            while try await worker.tick() {}
            #expect(try await Self.statuses(database) == ["submitted": 4])
            #expect(try await gateway.stats()["accepted"] == 4)
            await provider.shutdown()

            gateway.stop()
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aGatewayThatRefusesOurSignatureFailsTheMessage(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let clock = Self.clock()
            _ = try await Self.queue(2, on: database, clock: clock)
            let gateway = try FakeGateway.start(secret: Self.secret)
            let (worker, provider) = try Self.worker(database, clock: clock, url: gateway.url, secret: "wrong")
            while try await worker.tick() {}
            await provider.shutdown()
            #expect(try await Self.statuses(database) == ["failed": 2])
            #expect(try await gateway.stats()["badSignature"] == 2)
            let error = try await database.all("SELECT last_error FROM outbox_messages LIMIT 1")
            #expect(try error[0].optionalString("last_error")?.hasPrefix("HTTP 401") == true)
            gateway.stop()
        }
    }

    @Test(arguments: TestDatabase.engines)
    func messagesWaitForAGatewayThatIsDownAndGoWhenItReturns(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let clock = Self.clock()
            _ = try await Self.queue(5, on: database, clock: clock)
            let port = try FakeGateway.freePort()
            let (worker, provider) = try Self.worker(database, clock: clock, url: "http://127.0.0.1:\(port)/sms")
            // Down for "minutes": several rounds of back-off, nothing lost, nothing failed yet.
            for _ in 0..<3 {
                try await worker.tick()
                #expect(try await Self.statuses(database) == ["queued": 5])
                clock.advance(by: 61)
            }
            let gateway = try FakeGateway.start(secret: Self.secret, port: port)
            while try await worker.tick() {}
            await provider.shutdown()
            #expect(try await Self.statuses(database) == ["submitted": 5])
            let stats = try await gateway.stats()
            #expect(stats["accepted"] == 5 && stats["resubmissions"] == 0)
            gateway.stop()
        }
    }

    /// No receipt ever came (nobody to send it to here): after half an hour the provider is asked, and a
    /// delivered message is settled as if its receipt had come; one asked too early waits.
    @Test(arguments: TestDatabase.engines)
    func aReceiptThatNeverCameIsAskedForAfterHalfAnHour(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let clock = Self.clock()
            _ = try await Self.queue(3, on: database, clock: clock)
            let gateway = try FakeGateway.start(secret: Self.secret, arguments: ["--receipt-delay-ms", "0"])
            let (worker, provider) = try Self.worker(database, clock: clock, url: gateway.url)
            while try await worker.tick() {}
            #expect(try await Self.statuses(database) == ["submitted": 3])
            #expect(try await worker.checkOverdueReceipts() == 0)
            clock.advance(by: SQLOutbox.receiptWait + 1)
            #expect(try await worker.checkOverdueReceipts() == 3)
            #expect(try await Self.statuses(database) == ["delivered": 3])
            #expect(try await gateway.stats()["resubmissions"] == 0)
            await provider.shutdown()
            gateway.stop()
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLostAnswerIsSettledByTheStatusQueryNotBySendingAgain(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let clock = Self.clock()
            _ = try await Self.queue(3, on: database, clock: clock)
            // The gateway keeps every message and closes the connection without an answer.
            let gateway = try FakeGateway.start(secret: Self.secret, arguments: ["--hang-rate", "1"])
            let (worker, provider) = try Self.worker(database, clock: clock, url: gateway.url, timeout: 1)
            try await worker.tick()
            #expect(try await Self.statuses(database) == ["unknown": 3])
            try await gateway.configure(["hangRate": 0])
            clock.advance(by: 11)
            while try await worker.tick() {}
            await provider.shutdown()
            #expect(try await Self.statuses(database) == ["submitted": 3])
            let stats = try await gateway.stats()
            #expect(stats["accepted"] == 3 && stats["resubmissions"] == 0, "asked, not sent again")
            gateway.stop()
        }
    }
}
