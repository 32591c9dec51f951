import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

/// The store and group dashboards, their tables as files, the run button, the thresholds and the
/// lifetime-value pages, and the metrics API, on both engines.
@Suite struct DashboardPagesTests {
    /// Two customers of store A with visits over three years, so churn and cohorts have rows.
    static func seed(_ app: TestApp) async throws {
        let seeded = try await CustomerPagesTests.seedCustomer(app)
        let scope = try await app.services.identity.scope(for: app.fixture.managerA, clientAddress: "t")
        let other = try await app.services.customers.createCustomer(
            storeId: app.fixture.storeA.id, CustomerDraft(customerNo: "C-99", name: "吴敏"), scope: scope)
        for (number, day, customer) in [
            ("RO-1", "2024-09-01", other.id), ("RO-2", "2025-10-01", other.id), ("RO-3", "2026-08-01", other.id),
            ("RO-4", "2025-03-01", seeded.customer.id),
        ] {
            _ = try await app.services.repairOrders.createRepairOrder(
                storeId: app.fixture.storeA.id,
                RepairOrderDraft(
                    orderNo: number, customerId: customer, type: .generalRepair, openedOn: LocalDate(day)!,
                    totalFen: 50_000),
                scope: scope)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aManagerRunsTheDashboardAndTakesItsTablesAway(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            try await Self.seed(app)
            let storeA = app.fixture.storeA.id
            let manager = try await web.signedIn("manager-a")
            let advisor = try await web.signedIn("advisor-a")
            let empty = try await manager.get("/stores/\(storeA)/dashboard")
            #expect(empty.status == .ok && empty.text.contains("id=\"no-run\"") && empty.text.contains("run-now"))
            #expect(!(try await advisor.get("/stores/\(storeA)/dashboard").text.contains("run-now")))
            #expect(try await advisor.post("/stores/\(storeA)/segments/run", []).status == .forbidden)

            let ran = try await manager.post("/stores/\(storeA)/segments/run", [])
            #expect(ran.status == .seeOther && ran.headers[.location] == "/stores/\(storeA)/dashboard")
            let page = try await manager.get("/stores/\(storeA)/dashboard")
            #expect(page.status == .ok && page.text.contains("id=\"figures\"") && page.text.contains("<svg"))
            for section in ["value", "quadrant", "stages", "churn", "cohorts", "workshop_months", "vehicles"] {
                #expect(page.text.contains("id=\"section-\(section)\""), "section \(section)")
            }
            // A class opens the customer list filtered to it, and that list really filters.
            #expect(page.text.contains("/customers?store=\(storeA)&amp;valueClass=A"))
            let listed = try await manager.get("/customers?store=\(storeA)&valueClass=A")
            #expect(listed.status == .ok && listed.text.contains("吴敏") && !listed.text.contains("周杰"))
            #expect(listed.text.contains("A · 活跃"))
            // The 360 page shows the classes and how they came to be.
            let customerId = try #require(
                try await app.services.customers.customers(CustomerQuery(q: "吴敏"), scope: .system).items.first?.id)
            let profile = try await manager.get("/customers/\(customerId)")
            #expect(profile.text.contains("A 类 · VIP 客户 · 核心客户") && profile.text.contains("segment-history"))
            #expect(profile.text.contains("（首次分类） → A 类 · VIP 客户"))
            // The advisor reads the same numbers but takes no file away.
            #expect(try await advisor.get("/stores/\(storeA)/dashboard").text.contains("id=\"figures\""))
            #expect(
                try await advisor.get("/stores/\(storeA)/dashboard/export?table=value&format=csv").status
                    == .forbidden)

            let csv = try await manager.get("/stores/\(storeA)/dashboard/export?table=value&format=csv")
            #expect(csv.status == .ok && Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = csv.text.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "类别,客户数,占比" && lines.count == 5)
            #expect(lines.contains("A 类 · VIP 客户,1,0.5"))
            let xlsx = try await manager.get("/stores/\(storeA)/dashboard/export?table=churn&format=xlsx")
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            #expect(
                try await manager.get("/stores/\(storeA)/dashboard/export?table=secrets&format=csv").status
                    == .unprocessableContent)
            let audit = try await app.services.audit.entries(AuditFilter(action: "export.created"), scope: .system)
            #expect(audit.count == 2)

            // Lifetime value: the store's inputs, a person's override, and the table as a file.
            let clv = try await manager.get("/stores/\(storeA)/lifetime-value?retentionRate=0.9&years=3")
            #expect(clv.status == .ok && clv.text.contains("id=\"clv\"") && clv.text.contains("value=\"0.9\""))
            let clvFile = try await manager.get("/stores/\(storeA)/lifetime-value?retentionRate=0.9&years=3&format=csv")
            #expect(clvFile.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 4)
            #expect(
                try await manager.get("/stores/\(storeA)/lifetime-value?retentionRate=2").status
                    == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func thresholdsAreChangedByManagersOnlyAndNonsenseChangesNothing(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let storeA = app.fixture.storeA.id
            let manager = try await web.signedIn("manager-a")
            let form: [(String, String)] = [
                ("valueBasis", "gross_profit"), ("windowMonths", "18"), ("topSharesPercent", "2, 6, 25"),
                ("loyalVisits", "3"), ("loyalMonths", "6"), ("churnMonths", "6, 9, 12, 24"), ("ageBandYears", "1, 3"),
                ("warrantyMonths", "36"), ("warrantyKm", "100000"), ("nightlyHour", "3"),
            ]
            let page = try await manager.get("/stores/\(storeA)/segments")
            #expect(page.status == .ok && page.text.contains("segment-settings"))
            let bad = try await manager.post(
                "/stores/\(storeA)/segments/settings",
                form.map { $0.0 == "churnMonths" ? ($0.0, "9, 6, 12, 24") : $0 })
            #expect(bad.status == .unprocessableContent && bad.text.contains("role=\"alert\""))
            #expect(bad.text.contains("value=\"18\""))
            #expect(try await app.services.segments.settings(storeId: storeA, scope: .system) == SegmentSettings())
            let saved = try await manager.post("/stores/\(storeA)/segments/settings", form)
            #expect(saved.status == .seeOther)
            let settings = try await app.services.segments.settings(storeId: storeA, scope: .system)
            #expect(settings.valueBasis == .grossProfit && settings.windowMonths == 18 && !settings.nightlyRun)
            #expect(
                settings.topSharesPercent == [2, 6, 25] && settings.warrantyKm == 100_000 && settings.nightlyHour == 3)
            let advisor = try await web.signedIn("advisor-a")
            #expect(try await advisor.post("/stores/\(storeA)/segments/settings", form).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theMetricsApiAndTheGroupComparison(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            try await Self.seed(app)
            let f = app.fixture
            let advisor = try await ApiTests.token(for: "advisor-a", web: web)
            let none = try await web.api(.get, "/api/v1/segments/metrics", token: advisor)
            #expect(none.status == .notFound && none.text.contains("no_segment_run"))
            for store in [f.storeA.id, f.storeB.id] {
                _ = try await app.services.segments.run(
                    storeId: store, asOf: LocalDate("2026-09-21")!, trigger: .cli, scope: .system)
            }
            let metrics = try #require(
                try await web.api(.get, "/api/v1/segments/metrics", token: advisor).json() as? [String: Any])
            let body = try #require(metrics["metrics"] as? [String: Any])
            let churn = try #require(body["churn"] as? [[String: Any]])
            // 2025: of the one 2024 visitor (吴敏) nobody left; 2026 so far: of the two 2025 visitors, one left.
            #expect(churn.first { $0["year"] as? Int == 2025 }?["rate"] as? Double == 0)
            #expect(churn.first { $0["year"] as? Int == 2026 }?["churned"] as? Int == 1)
            let clv = try #require(
                try await web.api(.get, "/api/v1/segments/lifetime-value?retentionRate=0.5&years=2", token: advisor)
                    .json() as? [String: Any])
            #expect(
                (clv["rows"] as? [Any])?.count == 2
                    && (clv["inputs"] as? [String: Any])?["retentionRate"] as? Double == 0.5)
            #expect(
                try await web.api(.get, "/api/v1/segments/lifetime-value?discountRate=x", token: advisor).status
                    == .unprocessableContent)
            // The advisor compares only what they see; the analyst sees the group's two stores.
            let own = try await web.api(.get, "/api/v1/segments/compare", token: advisor).json() as? [[String: Any]]
            #expect(own?.count == 1)
            let analyst = try await ApiTests.token(for: "analyst", web: web)
            let group =
                try await web.api(.get, "/api/v1/segments/compare?groupId=\(f.group.id)", token: analyst)
                .json() as? [[String: Any]]
            #expect(group?.count == 2)

            let browser = try await web.signedIn("analyst")
            let page = try await browser.get("/groups/\(f.group.id)/dashboard")
            #expect(page.status == .ok && page.text.contains("A01") && page.text.contains("B01"))
            #expect(page.text.contains("<svg") && page.text.contains("section-churn"))
            let file = try await browser.get("/groups/\(f.group.id)/dashboard/export?table=stores&format=csv")
            #expect(file.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
            let managerPage = try await web.signedIn("manager-a").get("/groups/\(f.group.id)/dashboard")
            #expect(managerPage.status == .ok && managerPage.text.contains("A01") && !managerPage.text.contains("B01"))
        }
    }
}
