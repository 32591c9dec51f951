import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct MergePagesTests {
    @Test(arguments: TestDatabase.engines)
    func aManagerMergesADuplicateFromTheDataQualityPage(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, _, _) = try await CustomerPagesTests.seedCustomer(app)
            let scope = try await app.services.identity.scope(for: app.fixture.managerA, clientAddress: "t")
            let twin = try await app.services.customers.createCustomer(
                storeId: app.fixture.storeA.id,
                CustomerDraft(
                    name: "周 杰", birthday: LocalDate("1979-01-18"),
                    phones: [CustomerPhone(number: PhoneNumber("13812345678"), kind: .mobile, primary: true)]),
                scope: scope)
            let manager = try await web.signedIn("manager-a")
            let quality = try await manager.get("/stores/\(app.fixture.storeA.id)/data-quality")
            #expect(quality.status == .ok && quality.text.contains("相同电话") && quality.text.contains("周 杰"))
            let mergeHref = "/customers/\(customer.id)/merge?with=\(twin.id)"
            #expect(
                quality.text.contains(mergeHref.replacingOccurrences(of: "&", with: "&amp;"))
                    || quality.text.contains(mergeHref))
            let screen = try await manager.get(mergeHref)
            #expect(screen.status == .ok && screen.text.contains("1979-01-18"))
            let merged = try await manager.post(
                "/customers/\(customer.id)/merge", [("with", String(twin.id)), ("take", "birthday")])
            #expect(merged.status == .seeOther)
            let survivor = try await app.services.customers.customer(id: customer.id, scope: scope)
            #expect(survivor.birthday == LocalDate("1979-01-18") && survivor.name == "周杰")
            #expect(try await app.services.customers.customer(id: twin.id, scope: scope).mergedIntoId == customer.id)
            let advisor = try await web.signedIn("advisor-a")
            #expect(try await advisor.get("/customers/\(customer.id)/merge?with=\(twin.id)").status == .forbidden)
            let again = try await manager.post("/customers/\(customer.id)/merge", [("with", String(twin.id))])
            #expect(again.status == .conflict && again.text.contains("已经被合并过"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theApiMergesAndReportsQuality(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, _, _) = try await CustomerPagesTests.seedCustomer(app)
            let token = try await ApiTests.token(for: "manager-a", web: web)
            let twin = try #require(
                try await web.api(
                    .post, "/api/v1/customers", token: token,
                    json: #"{"name":"周杰","phones":[{"number":"13812345678"}],"address":"西城区 8 号"}"#
                ).json() as? [String: Any])
            let quality = try #require(
                try await web.api(.get, "/api/v1/stores/\(app.fixture.storeA.id)/data-quality", token: token).json()
                    as? [String: Any])
            #expect(((quality["report"] as? [String: Any])?["duplicatePairs"] as? Int ?? 0) >= 1)
            let response = try await web.api(
                .post, "/api/v1/customers/\(customer.id)/merge", token: token,
                json: #"{"mergedId":\#(twin["id"] as! Int),"take":["nonsense"]}"#)
            #expect(response.status == .unprocessableContent)
            let ok = try await web.api(
                .post, "/api/v1/customers/\(customer.id)/merge", token: token,
                json: #"{"mergedId":\#(twin["id"] as! Int)}"#)
            #expect(ok.status == .ok)
            #expect(try (ok.json() as? [String: Any])?["address"] as? String == "西城区 8 号")  // filled, not chosen
            let selfMerge = try await web.api(
                .post, "/api/v1/customers/\(customer.id)/merge", token: token, json: #"{"mergedId":\#(customer.id)}"#)
            #expect(selfMerge.status == .unprocessableContent)
        }
    }
}
