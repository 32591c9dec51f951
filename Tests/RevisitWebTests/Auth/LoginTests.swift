import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@testable import RevisitWeb

@Suite struct LoginTests {
    @Test(arguments: TestDatabase.engines)
    func aGoodLoginSetsAFreshHttpOnlyLaxSessionCookie(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = web.agent()
            _ = try await browser.get("/login")
            let first = try await browser.post("/login", [("login", "manager-a"), ("password", Fixture.password)])
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "/home")
            let cookie = try #require(first.cookie("revisit_session"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            let token = String(cookie.split(separator: ";")[0].dropFirst("revisit_session=".count))
            #expect(token.count >= 43)  // 256 random bits, base64url
            let home = try await browser.get("/home")
            #expect(home.status == .ok && home.text.contains("manager-a 名"))

            let again = web.agent()
            try await again.login("manager-a", Fixture.password)
            #expect(again.cookies["revisit_session"] != browser.cookies["revisit_session"])
        }
    }

    @Test func cookiesAreSecureBehindAnHttpsPublicURL() async throws {
        try await TestApp.with(.sqlite, configure: { $0.publicURL = "https://crm.example.com" }) { _, web in
            let browser = web.agent()
            _ = try await browser.get("/login")
            let response = try await browser.post("/login", [("login", "root"), ("password", Fixture.password)])
            #expect(try #require(response.cookie("revisit_session")).contains("Secure"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aWrongPasswordIsRefusedInChineseAndAudited(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = web.agent()
            let response = try await browser.login("manager-a", "not-the-password")
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("登录名或密码不正确"))
            #expect(browser.cookies["revisit_session"] == nil)
            let unknown = try await browser.login("nobody", "whatever-123")
            #expect(unknown.status == .unauthorized)
            let failed = try await app.services.audit.entries(AuditFilter(action: "login.failed"), scope: .system)
            #expect(Set(failed.map(\.login)) == ["manager-a", "nobody"])
            #expect(failed.allSatisfy { $0.clientAddress == "10.0.0.1" })
        }
    }

    @Test(arguments: TestDatabase.engines)
    func fiveFailuresLockTheAccountForFifteenMinutesEvenWithTheRightPassword(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            for attempt in 1...5 {
                let browser = web.agent(address: "10.9.0.\(attempt)")
                #expect(try await browser.login("advisor-a", "wrong-\(attempt)").status == .unauthorized)
                app.clock.advance(by: 30)
            }
            let browser = web.agent(address: "10.9.1.1")
            let refused = try await browser.login("advisor-a", Fixture.password)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.text.contains("分钟后再试"))
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter > 12 * 60 && retryAfter <= 15 * 60)
            let locked = try await app.services.audit.entries(AuditFilter(action: "login.locked"), scope: .system)
            #expect(locked.count == 2)  // the lockout itself, then the refused attempt

            app.clock.advance(by: TimeInterval(retryAfter))
            #expect(try await web.agent(address: "10.9.1.2").login("advisor-a", Fixture.password).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func oneAddressTryingManyAccountsIsThrottledToo(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let limit = app.services.config.loginThrottle.maxFailuresPerAddress
            for attempt in 0..<limit {
                _ = try await web.agent(address: "172.16.5.5").login("user\(attempt)", "guess-\(attempt)")
            }
            let refused = try await web.agent(address: "172.16.5.5").login("root", Fixture.password)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.text.contains("来自您所在地址"))
            #expect(try await web.agent(address: "172.16.5.6").login("root", Fixture.password).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func logoutEndsTheSessionAndIsAudited(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = try await web.signedIn("csr-a")
            let stolen = browser.cookies["revisit_session"]
            let response = try await browser.post("/logout")
            #expect(response.status == .seeOther && response.headers[.location] == "/login")
            let replay = web.agent()
            replay.setCookie("revisit_session", stolen)
            #expect(try await replay.get("/home").headers[.location] == "/login?expired=1")
            let actions = try await app.services.audit.entries(AuditFilter(login: "csr-a"), scope: .system).map(
                \.action)
            #expect(actions.contains("logout") && actions.contains("login.succeeded"))
        }
    }

    @Test func nextOnlyRedirectsWithinTheSite() {
        #expect(LoginController.safeNext("/admin/users") == "/admin/users")
        #expect(LoginController.safeNext("//evil.example") == nil)
        #expect(LoginController.safeNext("https://evil.example") == nil)
    }
}
