import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct AdminPagesTests {
    @Test(arguments: TestDatabase.engines)
    func anAdministratorCreatesAStoreAndAUserForIt(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let admin = try await web.signedIn("root")
            _ = try await admin.get("/admin/stores/new")
            let created = try await admin.post(
                "/admin/stores",
                [
                    ("code", "gz01"), ("name", "广州天河店"), ("group", String(app.fixture.group.id)),
                    ("timeZone", "Asia/Shanghai"), ("phone", "020-1234"), ("active", "1"),
                ])
            #expect(created.status == .seeOther)
            let store = try await app.services.identity.store(code: "GZ01", scope: .system)
            #expect(store.name == "广州天河店" && store.groupId == app.fixture.group.id && store.active)

            _ = try await admin.get("/admin/users/new")
            let user = try await admin.post(
                "/admin/users",
                [
                    ("login", "sa-gz"), ("name", "赵顾问"), ("role", "service-advisor"), ("stores", String(store.id)),
                    ("language", "zh-CN"), ("password", "welcome-2026"),
                ])
            #expect(user.status == .seeOther)
            let list = try await admin.get("/admin/users")
            #expect(list.text.contains("sa-gz") && list.text.contains("GZ01"))
            #expect(try await web.agent().login("sa-gz", "welcome-2026").status == .seeOther)
            let audit = try await app.services.audit.entries(AuditFilter(login: "root"), scope: .system).map(\.action)
            #expect(audit.contains("store.created") && audit.contains("user.created"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func badFormsComeBackWithTheMessageAndWriteNothing(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let admin = try await web.signedIn("root")
            _ = try await admin.get("/admin/stores/new")
            let duplicate = try await admin.post("/admin/stores", [("code", "A01"), ("name", "again")])
            #expect(duplicate.status == .conflict && duplicate.text.contains("编码“A01”已被使用"))
            let long = try await admin.post(
                "/admin/stores", [("code", "X1"), ("name", String(repeating: "长", count: 101))])
            #expect(long.status == .unprocessableContent && long.text.contains("最多 100 个字符"))
            let zone = try await admin.post(
                "/admin/stores", [("code", "X1"), ("name", "x"), ("timeZone", "Moon/Base")])
            #expect(zone.status == .unprocessableContent && zone.text.contains("未知时区"))
            #expect(try await app.services.identity.stores(scope: .system).count == 3)

            _ = try await admin.get("/admin/users/new")
            let noStore = try await admin.post(
                "/admin/users", [("login", "lonely"), ("name", "x"), ("role", "csr"), ("password", "long-enough-1")])
            #expect(noStore.status == .unprocessableContent && noStore.text.contains("至少需要指定一个门店"))
            let weak = try await admin.post(
                "/admin/users",
                [
                    ("login", "weak"), ("name", "x"), ("role", "csr"), ("stores", String(app.fixture.storeA.id)),
                    ("password", "1234567"),
                ])
            #expect(weak.status == .unprocessableContent)
            #expect(try await app.services.identity.credentials(login: "weak") == nil)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theAdminAreaIsForbiddenToEveryoneElse(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            for login in ["analyst", "manager-a", "advisor-a", "csr-a", "marketing-b"] {
                let browser = try await web.signedIn(login)
                for path in ["/admin/stores", "/admin/users", "/admin/groups", "/admin/audit", "/admin/users/new"] {
                    let response = try await browser.get(path)
                    #expect(response.status == .forbidden, "\(login) \(path)")
                    #expect(response.text.contains("您没有权限"))
                }
                let post = try await browser.post("/admin/groups", [("code", "X"), ("name", "x")])
                #expect(post.status == .forbidden)
            }
            #expect(try await app.services.identity.groups(scope: .system).count == 1)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theAuditPageFiltersByActionAndLogin(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { _, web in
            _ = try await web.agent().login("advisor-a", "wrong-password")
            let admin = try await web.signedIn("root")
            let failed = try await admin.get("/admin/audit?action=login.failed")
            #expect(
                failed.status == .ok && failed.text.contains("advisor-a")
                    && !failed.text.contains("login.succeeded</td>"))
            let byLogin = try await admin.get("/admin/audit?login=root")
            #expect(byLogin.text.contains("login.succeeded") && !byLogin.text.contains("advisor-a"))
            #expect(try await admin.get("/admin/audit?from=not-a-date").status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func editingAGroupAndAStoreKeepsTheirIds(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let admin = try await web.signedIn("root")
            _ = try await admin.get("/admin/groups/\(app.fixture.group.id)/edit")
            let group = try await admin.post(
                "/admin/groups/\(app.fixture.group.id)", [("code", "G1"), ("name", "华北新集团")])
            #expect(group.status == .seeOther)
            #expect(try await app.services.identity.group(id: app.fixture.group.id, scope: .system).name == "华北新集团")
            _ = try await admin.get("/admin/stores/\(app.fixture.storeC.id)/edit")
            let store = try await admin.post(
                "/admin/stores/\(app.fixture.storeC.id)",
                [("code", "C01"), ("name", "丙店"), ("timeZone", "Asia/Urumqi")])
            #expect(store.status == .seeOther)
            let changed = try await app.services.identity.store(id: app.fixture.storeC.id, scope: .system)
            #expect(changed.timeZone == "Asia/Urumqi" && !changed.active)
        }
    }
}
