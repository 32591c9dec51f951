import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

/// Ownership and the advisors' pages on both engines: the manager assigns and moves customers (preview
/// first), every move is in the customer's history, the advisor's page shows their book and tasks.
@Suite struct AdvisorPagesTests {
    @Test(arguments: TestDatabase.engines)
    func aManagerAssignsAndMovesCustomersAndAnAdvisorSeesTheirBook(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let f = app.fixture
            let scope = try await app.services.identity.scope(for: f.managerA, clientAddress: "t")
            let second = try await app.services.identity.createUser(
                UserDraft(login: "advisor-a2", name: "二号顾问", role: .serviceAdvisor, storeIds: [f.storeA.id]),
                passwordHash: try await app.services.hasher.hash(Fixture.password), scope: .system)
            var ids: [Int64] = []
            for index in 0..<6 {
                ids.append(
                    try await app.services.customers.createCustomer(
                        storeId: f.storeA.id, CustomerDraft(customerNo: "U\(index)", name: "客户\(index)"), scope: scope
                    ).id)
            }
            let manager = try await web.signedIn("manager-a")
            let page = try await manager.get("/stores/\(f.storeA.id)/advisors")
            #expect(page.status == .ok && page.text.contains("id=\"unowned\">6<"))
            #expect(try await manager.post("/stores/\(f.storeA.id)/advisors/assign", []).status == .seeOther)
            func owners() async throws -> [Int64?] {
                var found: [Int64?] = []
                for id in ids { found.append(try await app.services.customers.customer(id: id, scope: scope).ownerId) }
                return found
            }
            let assigned = try await owners()
            #expect(
                assigned.filter { $0 == f.advisorA.id }.count == 3 && assigned.filter { $0 == second.id }.count == 3)
            #expect(try await manager.get("/stores/\(f.storeA.id)/advisors").text.contains("id=\"unowned\">0<"))
            let file = try await manager.get("/stores/\(f.storeA.id)/advisors/export?table=advisors&format=csv")
            let lines = file.text.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(file.status == .ok && lines.count == 3 && lines.contains { $0.hasPrefix("二号顾问,3,") })
            #expect(
                try await manager.get("/stores/\(f.storeA.id)/advisors/export?table=execution&format=xlsx").status
                    == .ok)
            #expect(
                try await web.signedIn("advisor-a").get(
                    "/stores/\(f.storeA.id)/advisors/export?table=advisors&format=csv"
                )
                .status == .forbidden)

            // advisor-a leaves: a preview first, nothing moves until confirmed.
            let preview = try await manager.post(
                "/stores/\(f.storeA.id)/advisors/reassign",
                [("from", String(f.advisorA.id)), ("to", String(second.id))])
            #expect(
                preview.status == .ok && preview.text.contains("reassign-confirm") && preview.text.contains("二号顾问 +3"))
            #expect(try await app.services.customers.customer(id: ids[0], scope: scope).ownerId != nil)
            let moved = try await manager.post(
                "/stores/\(f.storeA.id)/advisors/reassign",
                [("from", String(f.advisorA.id)), ("to", String(second.id)), ("confirm", "1")])
            #expect(moved.status == .seeOther)
            #expect(try await owners().allSatisfy { $0 == second.id })
            let advisorToken = try await ApiTests.token(for: "advisor-a", web: web)
            let history = try #require(
                try await web.api(.get, "/api/v1/customers/\(ids[0])/owners", token: advisorToken).json()
                    as? [[String: Any]])
            let reasons = history.map { $0["reason"] as? String }
            // The first customer went to advisor-a (lower id, equal load) and then moved.
            #expect(reasons == ["reassigned", "assigned"] && history.last?["toOwnerId"] as? Int == Int(f.advisorA.id))
            // Nonsense targets are refused; advisors do not move customers.
            #expect(
                try await manager.post(
                    "/stores/\(f.storeA.id)/advisors/reassign", [("from", String(second.id)), ("to", "999999")]
                ).status == .unprocessableContent)
            let advisor = try await web.signedIn("advisor-a")
            #expect(try await advisor.post("/stores/\(f.storeA.id)/advisors/assign", []).status == .forbidden)

            // The API: the same figures, a partial rule change, a preview that moves nothing.
            let managerToken = try await ApiTests.token(for: "manager-a", web: web)
            let summaries = try #require(
                try await web.api(.get, "/api/v1/advisors?storeId=\(f.storeA.id)", token: managerToken).json()
                    as? [[String: Any]])
            #expect(summaries.first { $0["name"] as? String == "二号顾问" }?["customers"] as? Int == 6)
            let dry = try #require(
                try await web.api(
                    .post, "/api/v1/ownership/reassign", token: managerToken,
                    json: #"{"from":\#(second.id),"to":[\#(f.advisorA.id)],"preview":true}"#
                ).json() as? [String: Any])
            #expect((dry["moved"] as? [String: Int])?[String(f.advisorA.id)] == 6 && dry["preview"] as? Bool == true)
            #expect(try await app.services.customers.customer(id: ids[0], scope: scope).ownerId == second.id)
            let rules = try await web.api(
                .put, "/api/v1/ownership/settings", token: managerToken,
                json: #"{"rules":[{"valueClasses":["A","B"],"advisorIds":[\#(second.id)]}]}"#)
            #expect(rules.status == .ok)
            #expect(
                try await web.api(
                    .put, "/api/v1/ownership/settings", token: managerToken, json: #"{"advisorIds":[999999]}"#
                ).status == .unprocessableContent)

            // The advisor's own page: their book and their tasks.
            _ = try await app.services.reminders.run(
                storeId: f.storeA.id, asOf: LocalDate("2026-09-21")!, trigger: .cli, scope: .system)
            let mine = try await web.signedIn("advisor-a2").get("/advisor")
            #expect(mine.status == .ok && mine.text.contains("id=\"figures\"") && mine.text.contains("二号顾问"))
            #expect(mine.text.contains("section-tasks") && mine.text.contains("section-receptions"))
        }
    }
}
