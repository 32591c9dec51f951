import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct ApiTests {
    /// Creates a token through the account page, as a person would, and returns it.
    static func token(for login: String, web: WebAgentFactory) async throws -> String {
        let browser = try await web.signedIn(login)
        _ = try await browser.get("/account")
        let page = try await browser.post("/account/tokens", [("name", "test")]).text
        let range = try #require(page.range(of: #"rvt_[A-Za-z0-9_-]+"#, options: .regularExpression))
        return String(page[range])
    }

    static func error(_ response: TestResponse) throws -> (code: String, message: String, field: String?) {
        let body = try #require(try response.json() as? [String: Any])
        let error = try #require(body["error"] as? [String: Any])
        return (error["code"] as! String, error["message"] as! String, error["field"] as? String)
    }

    @Test(arguments: TestDatabase.engines)
    func requestsWithoutAValidTokenAre401InTheErrorShape(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { _, web in
            let none = try await web.api(.get, "/api/v1/me", token: nil)
            #expect(none.status == .unauthorized)
            #expect(try Self.error(none).code == "unauthorized")
            #expect(try await web.api(.get, "/api/v1/me", token: "rvt_forged").status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aTokenActsAsItsUserUntilRevoked(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let token = try await Self.token(for: "manager-a", web: web)
            let me = try await web.api(.get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            let body = try #require(try me.json() as? [String: Any])
            #expect((body["user"] as? [String: Any])?["login"] as? String == "manager-a")
            #expect(body["storeIds"] as? [Int] == [Int(app.fixture.storeA.id)])
            let stores = try #require(
                try await web.api(.get, "/api/v1/stores", token: token).json() as? [[String: Any]])
            #expect(stores.map { $0["code"] as? String } == ["A01"])

            let tokens = try #require(
                try await web.api(.get, "/api/v1/tokens", token: token).json() as? [[String: Any]])
            let id = try #require(tokens.first?["id"] as? Int)
            #expect(try await web.api(.delete, "/api/v1/tokens/\(id)", token: token).status == .noContent)
            #expect(try await web.api(.get, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    /// Token owners and scopes are cached for a few seconds; every identity change made through this
    /// process must still show on the very next request.
    @Test(arguments: TestDatabase.engines)
    func identityChangesShowOnTheNextRequestDespiteTheCache(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let manager = try await Self.token(for: "manager-a", web: web)
            let root = try await Self.token(for: "root", web: web)
            #expect(
                (try await web.api(.get, "/api/v1/me", token: manager).json() as? [String: Any])?["storeIds"]
                    as? [Int] == [Int(app.fixture.storeA.id)])
            let stores = try #require(try await web.api(.get, "/api/v1/stores", token: root).json() as? [Any])
            let id = app.fixture.managerA.id
            let moved = try await web.api(
                .patch, "/api/v1/users/\(id)", token: root, json: "{\"storeIds\":[\(app.fixture.storeB.id)]}")
            #expect(moved.status == .ok)
            #expect(
                (try await web.api(.get, "/api/v1/me", token: manager).json() as? [String: Any])?["storeIds"]
                    as? [Int] == [Int(app.fixture.storeB.id)])
            // A new store is in the administrator's scope at once.
            let created = try await web.api(
                .post, "/api/v1/stores", token: root, json: #"{"code":"N01","name":"新店","timeZone":"Asia/Shanghai"}"#)
            #expect(created.status == .created)
            let after = try #require(try await web.api(.get, "/api/v1/stores", token: root).json() as? [Any])
            #expect(after.count == stores.count + 1)
            #expect(try await web.api(.post, "/api/v1/users/\(id)/deactivate", token: root).status == .ok)
            #expect(try await web.api(.get, "/api/v1/me", token: manager).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func badBodiesGetTheRightStatusAndWriteNothing(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let token = try await Self.token(for: "root", web: web)
            let malformed = try await web.api(.post, "/api/v1/stores", token: token, json: "{\"code\": ")
            #expect(malformed.status == .badRequest)
            #expect(try Self.error(malformed).code == "malformed_json")
            let long = try await web.api(
                .post, "/api/v1/stores", token: token,
                json: "{\"code\":\"L1\",\"name\":\"\(String(repeating: "x", count: 101))\"}")
            #expect(long.status == .unprocessableContent)
            #expect(try Self.error(long).field == "name")
            let duplicate = try await web.api(
                .post, "/api/v1/stores", token: token, json: #"{"code":"a01","name":"x"}"#)
            #expect(duplicate.status == .conflict)
            #expect(try Self.error(duplicate).code == "duplicate_code")
            let badRole = try await web.api(
                .post, "/api/v1/users", token: token,
                json: #"{"login":"x1","name":"x","role":"boss","password":"12345678"}"#)
            #expect(badRole.status == .unprocessableContent)
            #expect(try Self.error(badRole).field == "role")
            #expect(try await app.services.identity.stores(scope: .system).count == 3)
            #expect(try await app.services.identity.credentials(login: "x1") == nil)

            let created = try await web.api(
                .post, "/api/v1/stores", token: token, json: #"{"code":"sz01","name":"深圳店","phone":"0755-1"}"#)
            #expect(created.status == .created)
            let store = try #require(try created.json() as? [String: Any])
            #expect(store["code"] as? String == "SZ01" && store["timeZone"] as? String == "Asia/Shanghai")
            let patched = try await web.api(
                .patch, "/api/v1/stores/\(store["id"] as! Int)", token: token, json: #"{"name":"深圳南山店"}"#)
            #expect((try patched.json() as? [String: Any])?["name"] as? String == "深圳南山店")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func storeUsersCannotChangeThingsOverTheAPI(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let token = try await Self.token(for: "manager-a", web: web)
            let create = try await web.api(.post, "/api/v1/stores", token: token, json: #"{"code":"N1","name":"n"}"#)
            #expect(create.status == .forbidden)
            #expect(try Self.error(create).code == "forbidden")
            let patch = try await web.api(
                .patch, "/api/v1/stores/\(app.fixture.storeA.id)", token: token, json: #"{"name":"mine now"}"#)
            #expect(patch.status == .forbidden)
            #expect(try await app.services.identity.store(id: app.fixture.storeA.id, scope: .system).name == "甲店 Alpha")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func unknownApiRoutesAnswerJSON404(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { _, web in
            let token = try await Self.token(for: "root", web: web)
            let response = try await web.api(.get, "/api/v1/nothing-here", token: token)
            #expect(response.status == .notFound)
            #expect(try Self.error(response).code == "not_found")
            #expect(try await web.api(.get, "/api/v1/stores/not-a-number", token: token).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func administratorsManageUsersOverTheAPI(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let token = try await Self.token(for: "root", web: web)
            let created = try await web.api(
                .post, "/api/v1/users", token: token,
                json:
                    "{\"login\":\"api-sa\",\"name\":\"接口顾问\",\"role\":\"service-advisor\",\"storeIds\":[\(app.fixture.storeB.id)],\"password\":\"api-password-1\"}"
            )
            #expect(created.status == .created)
            let id = try #require((try created.json() as? [String: Any])?["id"] as? Int)
            let moved = try await web.api(
                .patch, "/api/v1/users/\(id)", token: token, json: "{\"storeIds\":[\(app.fixture.storeA.id)]}")
            #expect((try moved.json() as? [String: Any])?["storeIds"] as? [Int] == [Int(app.fixture.storeA.id)])
            #expect(try await web.api(.post, "/api/v1/users/\(id)/deactivate", token: token).status == .ok)
            #expect(try await web.agent().login("api-sa", "api-password-1").status == .unauthorized)
            let audit = try await web.api(.get, "/api/v1/audit?action=user.deactivated", token: token)
            #expect((try audit.json() as? [[String: Any]])?.first?["entityId"] as? String == String(id))
        }
    }
}
