import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitJobs
import RevisitStorage
import RevisitTestSupport
import RevisitWeb
import Testing

@Suite struct OpsTests {
    @Test(arguments: TestDatabase.engines)
    func healthNamesTheEngineAndSchemaVersion(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { _, web in
            let response = try await web.api(.get, "/health", token: nil)
            #expect(response.status == .ok)
            let body = try #require(try response.json() as? [String: Any])
            #expect(body["status"] as? String == "ok")
            #expect(body["engine"] as? String == engine.rawValue)
            #expect(body["schemaVersion"] as? Int == Migrations.latestVersion)
        }
    }

    @Test func metricsCountRequestsByRouteAndShowThePool() async throws {
        try await TestApp.with(.sqlite) { _, web in
            _ = try await web.agent().get("/login")
            _ = try await web.agent().get("/stores/12345")
            let text = try await web.api(.get, "/metrics", token: nil).text
            #expect(text.contains(#"revisit_http_requests_total{route="/login",method="GET",status="200"}"#))
            #expect(text.contains(#"route="/stores/{id}""#))
            #expect(text.contains(#"revisit_db_pool_connections_in_use{engine="sqlite"}"#))
            #expect(text.contains("revisit_db_pool_acquire_seconds"))
            #expect(text.contains("revisit_http_request_duration_seconds"))
        }
    }

    @Test func unknownPagesGetATranslatedErrorPage() async throws {
        try await TestApp.with(.sqlite) { _, web in
            let response = try await web.agent().get("/no/such/page")
            #expect(response.status == .notFound)
            #expect(response.text.contains("找不到该页面或记录"))
            let signedIn = try await web.signedIn("advisor-a")
            #expect(try await signedIn.get("/stores/abc").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theSweeperRemovesExpiredSessions(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = try await web.signedIn("advisor-a")
            let sweeper = SessionSweeper(
                auth: app.services.auth, policy: app.services.config.sessionPolicy,
                throttle: app.services.config.loginThrottle, now: app.clock.function, logger: TestDatabase.logger)
            #expect(try await sweeper.sweep().sessions == 0)
            app.clock.advance(by: 3 * 3600)
            #expect(try await sweeper.sweep().sessions == 1)
            #expect(try await browser.get("/home").headers[.location] == "/login?expired=1")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func firstStartCreatesOneAdministrator(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let hasher = PasswordHasher(cost: 4)
            let first = try await Bootstrap.ensureAdministrator(identity: identity, hasher: hasher, password: nil)
            let password = try #require(first.generatedPassword)
            #expect(first.created && password.count >= 16)
            let admin = try #require(try await identity.credentials(login: "admin"))
            #expect(admin.user.role == .admin)
            #expect(try await hasher.verify(password, hash: admin.passwordHash))
            let second = try await Bootstrap.ensureAdministrator(identity: identity, hasher: hasher, password: nil)
            #expect(!second.created && second.generatedPassword == nil)
            let settings = DemoSettings(stores: 2, customers: 300, years: 3, seed: 7, today: LocalDate("2026-06-30")!)
            let summary = try #require(
                try await DemoSeeder.seed(
                    settings: settings, database: database, identity: identity, hasher: hasher, now: Date()))
            #expect(summary.customers == 300 && summary.repairOrders > 300)
            #expect(
                try await DemoSeeder.seed(
                    settings: settings, database: database, identity: identity, hasher: hasher, now: Date()) == nil)
            #expect(try await identity.stores(scope: .system).map(\.code) == ["BJ01", "SH01"])
            #expect(try await identity.credentials(login: "advisor2")?.user.language == .en)
        }
    }

    @Test func productionPasswordHashesUseCostTwelve() async throws {
        let hash = try await PasswordHasher(cost: 12).hash("anything-long")
        #expect(hash.hasPrefix("$2b$12$") || hash.hasPrefix("$2a$12$") || hash.hasPrefix("$2y$12$"))
        #expect(AppConfig().passwordHashCost >= 12)
    }
}
