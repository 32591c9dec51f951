import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct SessionTests {
    @Test(arguments: TestDatabase.engines)
    func twoIdleHoursSendThePersonBackToLoginWithAMessage(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = try await web.signedIn("advisor-a")
            app.clock.advance(by: 119 * 60)
            #expect(try await browser.get("/home").status == .ok)
            app.clock.advance(by: 119 * 60)
            #expect(try await browser.get("/home").status == .ok)
            app.clock.advance(by: 2 * 3600)
            let expired = try await browser.get("/home")
            #expect(expired.status == .seeOther && expired.headers[.location] == "/login?expired=1")
            let login = try await browser.get("/login?expired=1")
            #expect(login.text.contains("会话已过期"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func twelveHoursEndASessionHoweverBusy(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = try await web.signedIn("advisor-a")
            for _ in 0..<11 {
                app.clock.advance(by: 3600)
                #expect(try await browser.get("/home").status == .ok)
            }
            app.clock.advance(by: 3600)
            #expect(try await browser.get("/home").headers[.location] == "/login?expired=1")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func deactivatingAUserEndsTheirSessionAtOnce(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let advisor = try await web.signedIn("advisor-b")
            let admin = try await web.signedIn("root")
            _ = try await admin.get("/admin/users/\(app.fixture.advisorB.id)/edit")
            let response = try await admin.post("/admin/users/\(app.fixture.advisorB.id)/deactivate")
            #expect(response.status == .seeOther)
            #expect(try await advisor.get("/home").headers[.location] == "/login?expired=1")
            #expect(try await web.agent().login("advisor-b", Fixture.password).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aPasswordResetByAnAdministratorEndsTheUsersSessions(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let csr = try await web.signedIn("csr-a")
            let admin = try await web.signedIn("root")
            _ = try await admin.get("/admin/users/\(app.fixture.csrA.id)/edit")
            let short = try await admin.post("/admin/users/\(app.fixture.csrA.id)/password", [("password", "short")])
            #expect(short.status == .unprocessableContent && short.text.contains("至少需要 8 个字符"))
            #expect(try await csr.get("/home").status == .ok)
            let reset = try await admin.post(
                "/admin/users/\(app.fixture.csrA.id)/password", [("password", "brand-new-pass")])
            #expect(reset.status == .seeOther)
            #expect(try await csr.get("/home").headers[.location] == "/login?expired=1")
            #expect(try await web.agent().login("csr-a", "brand-new-pass").status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func formsWithoutTheCSRFTokenAreRefusedAndChangeNothing(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let admin = try await web.signedIn("root")
            let missing = try await admin.post("/admin/groups", [("code", "EVIL"), ("name", "x")], csrf: "")
            #expect(missing.status == .forbidden && missing.text.contains("表单已失效"))
            let wrong = try await admin.post("/admin/groups", [("code", "EVIL"), ("name", "x")], csrf: "forged")
            #expect(wrong.status == .forbidden)
            #expect(try await app.services.identity.groups(scope: .system).map(\.code) == ["G1"])
            let anonymous = web.agent()
            let login = try await anonymous.post(
                "/login", [("login", "root"), ("password", Fixture.password)], csrf: "")
            #expect(login.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theStoreSwitcherOnlyOffersTheUsersStores(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let analyst = try await web.signedIn("analyst")
            let home = try await analyst.get("/home")
            #expect(home.text.contains("A01 甲店 Alpha") && home.text.contains("B01 乙店 Bravo"))
            #expect(!home.text.contains("C01"))
            let switched = try await analyst.post("/session/store", [("store", String(app.fixture.storeB.id))])
            #expect(switched.status == .seeOther)
            #expect(
                try await analyst.get("/home").text.contains("<option value=\"\(app.fixture.storeB.id)\" selected>"))
            let foreign = try await analyst.post("/session/store", [("store", String(app.fixture.storeC.id))])
            #expect(foreign.status == .notFound)
        }
    }
}
