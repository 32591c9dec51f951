import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct CustomersApiTests {
    @Test(arguments: TestDatabase.engines)
    func listsFollowTheContractWithACursor(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let token = try await ApiTests.token(for: "advisor-a", web: web)
            for index in 0..<3 {
                let created = try await web.api(
                    .post, "/api/v1/customers", token: token,
                    json: #"{"name":"客户\#(index)","phones":[{"number":"1380000000\#(index)","kind":"mobile"}]}"#)
                #expect(created.status == .created)
            }
            let first = try #require(
                try await web.api(.get, "/api/v1/customers?limit=2", token: token).json() as? [String: Any])
            let items = try #require(first["items"] as? [[String: Any]])
            #expect(items.count == 2)
            let cursor = try #require(first["nextCursor"] as? String)
            let item = items[0]
            for key in ["id", "name", "type", "phones", "storeCode", "completeness"] {
                #expect(item[key] != nil, "\(key)")
            }
            #expect(item.keys.contains("alert") == false || item["alert"] is NSNull || item["alert"] is String)
            let phones = try #require(item["phones"] as? [[String: Any]])
            #expect(phones.first?["number"] as? String == "138****0000")
            let second = try #require(
                try await web.api(.get, "/api/v1/customers?limit=2&cursor=\(cursor)", token: token).json()
                    as? [String: Any])
            #expect((second["items"] as? [[String: Any]])?.count == 1)
            #expect(second["nextCursor"] is NSNull)
            let bad = try await web.api(.get, "/api/v1/customers?cursor=zzz", token: token)
            #expect(bad.status == .badRequest)
            #expect(try ApiTests.error(bad).code == "invalid_cursor")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func invalidFieldsAre422WithTheField(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { _, web in
            let token = try await ApiTests.token(for: "advisor-a", web: web)
            for (body, field) in [
                (#"{"name":"x","birthday":"2023-02-30"}"#, "birthday"), (#"{"name":"x","type":"alien"}"#, "type"),
                (#"{"name":""}"#, "name"), (#"{"name":"x","phones":[{"number":"555"}]}"#, "phones[0]"),
            ] {
                let response = try await web.api(.post, "/api/v1/customers", token: token, json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(try ApiTests.error(response).field == field)
            }
            let vin = try await web.api(.post, "/api/v1/vehicles", token: token, json: #"{"vin":"LSVAU2180N2184306"}"#)
            #expect(vin.status == .unprocessableContent)
            #expect(try ApiTests.error(vin).message.contains("7"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func patchNeedsTheVersionItRead(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, _, _) = try await CustomerPagesTests.seedCustomer(app)
            let token = try await ApiTests.token(for: "advisor-a", web: web)
            let missing = try await web.api(
                .patch, "/api/v1/customers/\(customer.id)", token: token, json: #"{"region":"北京"}"#)
            #expect(missing.status == .unprocessableContent)
            let ok = try await web.api(
                .patch, "/api/v1/customers/\(customer.id)", token: token, json: #"{"region":"北京","version":1}"#)
            #expect(ok.status == .ok)
            #expect(try (ok.json() as? [String: Any])?["version"] as? Int == 2)
            let stale = try await web.api(
                .patch, "/api/v1/customers/\(customer.id)", token: token, json: #"{"region":"上海","version":1}"#)
            #expect(stale.status == .conflict)
            #expect(try ApiTests.error(stale).code == "version_conflict")
            #expect(try await app.services.customers.customer(id: customer.id, scope: .system).region == "北京")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func screenPopFindsTheCallerInOneRequest(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, _, _) = try await CustomerPagesTests.seedCustomer(app)
            let token = try await ApiTests.token(for: "csr-a", web: web)
            _ = try await web.api(
                .post, "/api/v1/customers/\(customer.id)/interactions", token: token,
                json: #"{"kind":"call","summary":"客户来电询问保养"}"#)
            let response = try await web.api(.get, "/api/v1/lookup?phone=%2B86%20138-1234-5678", token: token)
            #expect(response.status == .ok)
            let body = try #require(try response.json() as? [String: Any])
            let matches = try #require(body["matches"] as? [[String: Any]])
            #expect(matches.count == 1)
            #expect((matches[0]["customer"] as? [String: Any])?["name"] as? String == "周杰")
            #expect((matches[0]["vehicles"] as? [[String: Any]])?.first?["plate"] as? String == "京A88888")
            #expect((matches[0]["interactions"] as? [[String: Any]])?.first?["summary"] as? String == "客户来电询问保养")
            let none = try #require(
                try await web.api(.get, "/api/v1/lookup?phone=13900000000", token: token).json() as? [String: Any])
            #expect((none["matches"] as? [Any])?.isEmpty == true)
            #expect(try await web.api(.get, "/api/v1/lookup", token: token).status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func repairOrdersAndVehiclesFollowTheContract(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (_, vehicle, _) = try await CustomerPagesTests.seedCustomer(app)
            let token = try await ApiTests.token(for: "manager-a", web: web)
            let orders = try #require(
                try await web.api(.get, "/api/v1/repair-orders", token: token).json() as? [String: Any])
            let order = try #require((orders["items"] as? [[String: Any]])?.first)
            #expect(order["orderNo"] as? String == "RO-88" && order["vin"] as? String == "LSVAU2187N2184306")
            #expect(order["customerNo"] as? String == "C-88" && order["totalFen"] as? Int == 30_000)
            #expect(order["openedOn"] as? String == "2024-05-06" && (order["lines"] as? [Any])?.count == 1)
            let car = try #require(
                try await web.api(.get, "/api/v1/vehicles/\(vehicle.id)", token: token).json() as? [String: Any])
            #expect(car["plate"] as? String == "京A88888" && (car["owners"] as? [Any])?.count == 1)
            let created = try await web.api(
                .post, "/api/v1/repair-orders", token: token,
                json:
                    #"{"orderNo":"RO-89","type":"accident","openedOn":"2024-06-01","lines":[{"kind":"part","name":"保险杠","amountFen":150000,"costFen":90000}]}"#
            )
            #expect(created.status == .created)
            #expect(try (created.json() as? [String: Any])?["grossProfitFen"] as? Int == 60_000)
            let duplicate = try await web.api(
                .post, "/api/v1/repair-orders", token: token,
                json: #"{"orderNo":"RO-89","type":"accident","openedOn":"2024-06-01"}"#)
            #expect(duplicate.status == .conflict)
        }
    }
}
