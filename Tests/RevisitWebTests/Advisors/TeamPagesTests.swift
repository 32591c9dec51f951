import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

/// Advisor teams on both engines (DOMAIN §4): a manager forms a team, the assignment rules give it
/// customers as one owner, its reminders are every member's tasks (and only theirs), its book sits beside
/// the advisors', and it cannot be deleted while it still owns customers.
@Suite struct TeamPagesTests {
    @Test(arguments: TestDatabase.engines)
    func aTeamOwnsCustomersItsMembersWorkTheirTasksAndItLeavesNobodyUnowned(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let f = app.fixture
            let hash = try await app.services.hasher.hash(Fixture.password)
            func advisor(_ login: String, _ name: String) async throws -> User {
                try await app.services.identity.createUser(
                    UserDraft(login: login, name: name, role: .serviceAdvisor, storeIds: [f.storeA.id]),
                    passwordHash: hash, scope: .system)
            }
            let second = try await advisor("advisor-a2", "二号顾问")
            let outsider = try await advisor("advisor-a3", "三号顾问")
            let manager = try await web.signedIn("manager-a")

            // The form: refused without members or with a leader outside the team, then saved.
            let empty = try await manager.post("/stores/\(f.storeA.id)/teams", [("name", "一组")])
            #expect(empty.status == .unprocessableContent && empty.text.contains("team-form"))
            let badLeader = try await manager.post(
                "/stores/\(f.storeA.id)/teams",
                [("name", "一组"), ("leader", String(outsider.id)), ("member", String(f.advisorA.id))])
            #expect(badLeader.status == .unprocessableContent)
            #expect(try await app.services.teams.teams(storeId: f.storeA.id, scope: .system).isEmpty)
            let created = try await manager.post(
                "/stores/\(f.storeA.id)/teams",
                [
                    ("name", "一组"), ("leader", String(second.id)), ("member", String(f.advisorA.id)),
                    ("member", String(second.id)),
                ])
            #expect(created.status == .seeOther)
            let team = try #require(try await app.services.teams.teams(storeId: f.storeA.id, scope: .system).first)
            #expect(
                team.name == "一组" && team.leaderId == second.id && Set(team.memberIds) == [f.advisorA.id, second.id])
            let duplicate = try await manager.post(
                "/stores/\(f.storeA.id)/teams", [("name", "一组"), ("member", String(outsider.id))])
            #expect(duplicate.status == .conflict)
            #expect(try await manager.get("/stores/\(f.storeA.id)/teams").text.contains("一组"))
            #expect(try await web.signedIn("advisor-a").post("/teams/\(team.id)/delete", []).status == .forbidden)

            // The rules form on the comparison page: A customers to the team, BMWs to the leader, the rest to
            // advisor-a; what it says replaces the rules.
            let form = try await manager.post(
                "/stores/\(f.storeA.id)/advisors/rules",
                [
                    ("classA", "team:\(team.id)"), ("brand0", "宝马"), ("brandAdvisors0", String(second.id)),
                    ("brand1", ""), ("general", String(f.advisorA.id)), ("onImport", "1"),
                ])
            #expect(form.status == .seeOther)
            var expected = AssignmentSettings()
            expected.rules = [AssignmentSettings.Rule(valueClasses: [.a], advisorIds: [], teamIds: [team.id])]
            expected.byBrand = ["宝马": [second.id]]
            expected.advisorIds = [f.advisorA.id]
            #expect(try await app.services.ownership.settings(storeId: f.storeA.id, scope: .system) == expected)
            let shown = try await manager.get("/stores/\(f.storeA.id)/advisors")
            #expect(shown.text.contains("id=\"assignment-rules\"") && shown.text.contains("value=\"宝马\""))

            // The rules send every unowned customer to the team; a licence review due soon becomes its task.
            let managerToken = try await ApiTests.token(for: "manager-a", web: web)
            let rules = try await web.api(
                .put, "/api/v1/ownership/settings?storeId=\(f.storeA.id)", token: managerToken,
                json: #"{"teamIds":[\#(team.id)]}"#)
            #expect(rules.status == .ok)
            let today = f.storeA.day(at: app.clock.now)
            var ids: [Int64] = []
            for index in 0..<4 {
                var draft = CustomerDraft(customerNo: "T\(index)", name: "组客户\(index)")
                if index == 0 { draft.licenceReviewDate = today.addingDays(5) }
                ids.append(
                    try await app.services.customers.createCustomer(storeId: f.storeA.id, draft, scope: .system).id)
            }
            #expect(try await manager.post("/stores/\(f.storeA.id)/advisors/assign", []).status == .seeOther)
            let listed = try #require(
                try await web.api(.get, "/api/v1/customers?owner=team:\(team.id)", token: managerToken).json()
                    as? [String: Any])
            let items = try #require(listed["items"] as? [[String: Any]])
            #expect(items.count == 4 && items.allSatisfy { $0["ownerTeamId"] as? Int == Int(team.id) })
            #expect(items.allSatisfy { $0["ownerId"] as? Int == nil })

            _ = try await app.services.reminders.run(storeId: f.storeA.id, asOf: today, trigger: .cli, scope: .system)
            let task = try #require(
                try await app.services.reminders.reminders(
                    ReminderQuery(storeId: f.storeA.id, type: .licence), scope: .system
                ).items.first)
            #expect(task.ownerTeamId == team.id && task.ownerId == nil)
            let member = try await web.signedIn("advisor-a")
            let list = try await member.get("/reminders")
            #expect(list.status == .ok && list.text.contains("组客户0"))
            #expect(try await member.get("/advisor").text.contains("一组"))
            let stranger = try await web.signedIn("advisor-a3")
            #expect(!(try await stranger.get("/reminders").text.contains("组客户0")))
            #expect(
                try await stranger.post("/reminders/\(task.id)/outcome", [("outcome", "contacted")]).status
                    == .forbidden)
            #expect(
                try await member.post("/reminders/\(task.id)/outcome", [("outcome", "contacted")]).status
                    == .seeOther)

            // The manager's comparison has the team's book; its table exports.
            let compare = try await manager.get("/stores/\(f.storeA.id)/advisors")
            #expect(compare.text.contains("section-teams") && compare.text.contains("team:\(team.id)"))
            let csv = try await manager.get("/stores/\(f.storeA.id)/advisors/export?table=teams&format=csv")
            #expect(csv.status == .ok && csv.text.contains("一组,") && csv.text.contains(",4,"))
            let books = try #require(
                try await web.api(.get, "/api/v1/advisors/teams?storeId=\(f.storeA.id)", token: managerToken).json()
                    as? [[String: Any]])
            let book = try #require(books.first?["book"] as? [String: Any])
            #expect(book["customers"] as? Int == 4 && book["teamId"] as? Int == Int(team.id))

            // A team that owns customers cannot go; moved to an advisor (preview first), it can.
            let refused = try await web.api(.delete, "/api/v1/teams/\(team.id)", token: managerToken)
            #expect(refused.status == .conflict)
            let dry = try #require(
                try await web.api(
                    .post, "/api/v1/ownership/reassign", token: managerToken,
                    json: #"{"fromTeam":\#(team.id),"to":[\#(outsider.id)],"preview":true}"#
                ).json() as? [String: Any])
            #expect((dry["moved"] as? [String: Int]) == [String(outsider.id): 4])
            let moved = try await manager.post(
                "/stores/\(f.storeA.id)/advisors/reassign",
                [("from", "team:\(team.id)"), ("to", String(outsider.id)), ("confirm", "1")])
            #expect(moved.status == .seeOther)
            let history = try await app.services.ownership.history(
                customerId: ids[0], storeId: f.storeA.id, scope: .system)
            #expect(history.first?.fromTeamId == team.id && history.first?.toOwnerId == outsider.id)
            #expect(history.last?.toTeamId == team.id && history.last?.reason == "assigned")
            let customerPage = try await manager.get("/customers/\(ids[0])")
            #expect(customerPage.text.contains("id=\"owner-history\"") && customerPage.text.contains("小组 · 一组 → 三号顾问"))
            #expect(try await manager.post("/teams/\(team.id)/delete", []).status == .seeOther)
            #expect(try await app.services.teams.teams(storeId: f.storeA.id, scope: .system).isEmpty)
        }
    }

    /// An advisor who left is not offered for new customers, but a customer they still own keeps them in
    /// the form, so saving it does not drop the owner.
    @Test(arguments: TestDatabase.engines)
    func theFormKeepsAnOwnerWhoLeft(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let f = app.fixture
            let gone = try await app.services.identity.createUser(
                UserDraft(login: "advisor-gone", name: "离职顾问", role: .serviceAdvisor, storeIds: [f.storeA.id]),
                passwordHash: try await app.services.hasher.hash(Fixture.password), scope: .system)
            let customer = try await app.services.customers.createCustomer(
                storeId: f.storeA.id, CustomerDraft(name: "老客户", ownerId: gone.id), scope: .system)
            _ = try await app.services.identity.setActive(userId: gone.id, active: false, scope: .system)
            let manager = try await web.signedIn("manager-a")
            let form = try await manager.get("/customers/\(customer.id)/edit")
            #expect(form.status == .ok && form.text.contains("<option value=\"\(gone.id)\" selected>离职顾问</option>"))
            let blank = try await manager.get("/customers/new")
            #expect(blank.status == .ok && !blank.text.contains("离职顾问"))
        }
    }

    /// One owner at a time: the API refuses an advisor and a team together, and either replaces the other.
    @Test(arguments: TestDatabase.engines)
    func aCustomerHasOneAdvisorOrOneTeamNeverBoth(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let f = app.fixture
            let team = try await app.services.teams.create(
                TeamDraft(name: "快修组", memberIds: [f.advisorA.id]), storeId: f.storeA.id, scope: .system)
            let token = try await ApiTests.token(for: "manager-a", web: web)
            let created = try #require(
                try await web.api(
                    .post, "/api/v1/customers", token: token,
                    json: #"{"storeId":\#(f.storeA.id),"name":"单一归属","ownerId":\#(f.advisorA.id)}"#
                ).json() as? [String: Any])
            let id = try #require(created["id"] as? Int)
            let both = try await web.api(
                .patch, "/api/v1/customers/\(id)", token: token,
                json: #"{"version":1,"ownerId":\#(f.advisorA.id),"ownerTeamId":\#(team.id)}"#)
            #expect(both.status == .unprocessableContent && both.text.contains("owner_conflict"))
            let toTeam = try #require(
                try await web.api(
                    .patch, "/api/v1/customers/\(id)", token: token, json: #"{"version":1,"ownerTeamId":\#(team.id)}"#
                ).json() as? [String: Any])
            #expect(toTeam["ownerTeamId"] as? Int == Int(team.id) && toTeam["ownerId"] as? Int == nil)
            let otherStore = try await app.services.teams.create(
                TeamDraft(name: "乙组", memberIds: [f.advisorB.id]), storeId: f.storeB.id, scope: .system)
            let foreign = try await web.api(
                .patch, "/api/v1/customers/\(id)", token: token, json: #"{"version":2,"ownerTeamId":\#(otherStore.id)}"#
            )
            #expect(foreign.status == .unprocessableContent)
            let page = try await web.signedIn("manager-a").get("/customers/\(id)")
            #expect(page.text.contains("快修组"))
        }
    }
}
