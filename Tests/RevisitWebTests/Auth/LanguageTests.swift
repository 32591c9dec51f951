import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct LanguageTests {
    @Test(arguments: TestDatabase.engines)
    func pagesAreChineseUntilTheUserChoosesEnglish(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = try await web.signedIn("manager-a")
            #expect(try await browser.get("/home").text.contains("<html lang=\"zh-CN\">"))
            let saved = try await browser.post("/account/language", [("language", "en")])
            #expect(saved.status == .seeOther)
            let home = try await browser.get("/account")
            #expect(home.text.contains("<html lang=\"en\">") && home.text.contains("Language saved."))
            #expect(try await app.services.identity.user(id: app.fixture.managerA.id, scope: .system).language == .en)
            // The choice follows the user to a new browser.
            let other = try await web.signedIn("manager-a", address: "10.0.0.2")
            #expect(try await other.get("/home").text.contains("Hello, manager-a 名."))
        }
    }

    @Test func anonymousPagesSwitchByCookie() async throws {
        try await TestApp.with(.sqlite) { _, web in
            let browser = web.agent()
            #expect(try await browser.get("/login").text.contains("登录"))
            let switched = try await browser.get("/language?to=en")
            #expect(switched.status == .seeOther)
            #expect(try await browser.get("/login").text.contains("Sign in"))
            #expect(try await browser.login("root", "nope-nope").text.contains("Wrong login or password."))
        }
    }
}
