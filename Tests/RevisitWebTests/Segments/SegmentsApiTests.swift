import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct SegmentsApiTests {
    @Test(arguments: TestDatabase.engines)
    func aManagerRunsAndCustomersCarryTheirClassesAndFilterByThem(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let seeded = try await CustomerPagesTests.seedCustomer(app)
            let manager = try await ApiTests.token(for: "manager-a", web: web)
            let advisor = try await ApiTests.token(for: "advisor-a", web: web)
            // Before any run the key is there, empty.
            let before = try #require(
                try await web.api(.get, "/api/v1/customers/\(seeded.customer.id)", token: advisor).json()
                    as? [String: Any])
            #expect(before.keys.contains("segments") && before["segments"] is NSNull)

            let refused = try await web.api(.post, "/api/v1/segments/runs", token: advisor, json: "{}")
            #expect(refused.status == .forbidden)
            let bad = try await web.api(.post, "/api/v1/segments/runs", token: manager, json: #"{"asOf":"2024-13-01"}"#)
            #expect(bad.status == .unprocessableContent)
            let created = try await web.api(
                .post, "/api/v1/segments/runs", token: manager, json: #"{"asOf":"2024-06-30"}"#)
            #expect(created.status == .created)
            let run = try #require(try created.json() as? [String: Any])
            #expect(run["asOf"] as? String == "2024-06-30" && run["trigger"] as? String == "manual")
            let counts = try #require(run["counts"] as? [String: [String: Int]])
            #expect(counts["value"]?["A"] == 1 && counts["churnStage"]?["active"] == 1)

            let after = try #require(
                try await web.api(.get, "/api/v1/customers/\(seeded.customer.id)", token: advisor).json()
                    as? [String: Any])
            let segments = try #require(after["segments"] as? [String: Any])
            #expect(segments["value"] as? String == "A" && segments["churnStage"] as? String == "active")
            #expect(segments["quadrant"] as? String == "potential" && segments["asOf"] as? String == "2024-06-30")

            func listed(_ filter: String) async throws -> Int {
                let page =
                    try await web.api(.get, "/api/v1/customers?\(filter)", token: advisor).json() as? [String: Any]
                return (page?["items"] as? [Any])?.count ?? -1
            }
            #expect(try await listed("valueClass=A") == 1)
            #expect(try await listed("valueClass=B") == 0)
            #expect(try await listed("churnStage=active&quadrant=potential") == 1)
            #expect(try await listed("churnStage=lost") == 0)
            #expect(
                try await web.api(.get, "/api/v1/customers?valueClass=E", token: advisor).status
                    == .unprocessableContent)

            let runs = try await web.api(.get, "/api/v1/segments/runs", token: advisor).json() as? [[String: Any]]
            #expect(runs?.count == 1)
            let saved = try await web.api(
                .put, "/api/v1/segments/settings", token: manager, json: #"{"valueBasis":"gross_profit"}"#)
            #expect(saved.status == .ok)
            let settings = try await web.api(.get, "/api/v1/segments/settings", token: advisor).json() as? [String: Any]
            #expect(settings?["valueBasis"] as? String == "gross_profit" && settings?["windowMonths"] as? Int == 12)
            let nonsense = try await web.api(
                .put, "/api/v1/segments/settings", token: manager, json: #"{"churnMonths":[9,6,12,24]}"#)
            #expect(nonsense.status == .unprocessableContent)
        }
    }
}
