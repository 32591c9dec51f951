import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

/// An advisor works the reminder list in the browser and over the API; managers run and tune the rules.
@Suite struct RemindersPagesTests {
    @Test(arguments: TestDatabase.engines)
    func anAdvisorWorksTheirListAndAManagerRunsTheRules(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let seeded = try await CustomerPagesTests.seedCustomer(app)
            let storeA = app.fixture.storeA.id
            let managerToken = try await ApiTests.token(for: "manager-a", web: web)
            let advisorToken = try await ApiTests.token(for: "advisor-a", web: web)
            // 周杰 last came on 2024-05-06: semi-churned in January 2025.
            let ran = try await web.api(
                .post, "/api/v1/reminders/runs", token: managerToken, json: #"{"asOf":"2025-01-10"}"#)
            #expect(ran.status == .created)
            let run = try #require(try ran.json() as? [String: Any])
            #expect((run["created"] as? [String: Int])?["winback"] == 1 && run["alreadyExisting"] as? Int == 0)
            #expect(
                try await web.api(.post, "/api/v1/reminders/runs", token: advisorToken, json: "{}").status == .forbidden
            )

            let listed = try #require(
                try await web.api(.get, "/api/v1/reminders?type=winback", token: advisorToken).json() as? [String: Any])
            let item = try #require((listed["items"] as? [[String: Any]])?.first)
            #expect(item["customerNo"] as? String == "C-88" && item["status"] as? String == "open")
            #expect(item["dueDate"] as? String == "2025-01-10" && item["reason"] as? String == "winback.semi_churned")
            #expect((item["basis"] as? [String: String])?["lastVisit"] == "2024-05-06" && item["outcome"] is NSNull)
            let id = try #require(item["id"] as? Int)
            #expect(
                try await web.api(.get, "/api/v1/reminders?status=nonsense", token: advisorToken).status
                    == .unprocessableContent)

            // In the browser: the advisor's own open tasks, the reason in words, the outcome in two clicks.
            let advisor = try await web.signedIn("advisor-a")
            let page = try await advisor.get("/reminders")
            #expect(page.status == .ok && page.text.contains("周杰") && page.text.contains("自 2024-05-06 未回厂：半流失"))
            #expect(page.text.contains("/customers/\(seeded.customer.id)") && !page.text.contains("run-reminders"))
            let recorded = try await advisor.post(
                "/reminders/\(id)/outcome", [("outcome", "appointment"), ("note", "周六上午"), ("next", "/reminders")])
            #expect(recorded.status == .seeOther)
            #expect(!(try await advisor.get("/reminders").text.contains("周杰")))
            let done = try await advisor.get("/reminders?status=done")
            #expect(done.text.contains("已预约：周六上午"))
            #expect(
                try await advisor.post("/reminders/\(id)/outcome", [("outcome", "maybe")]).status
                    == .unprocessableContent)
            let api = try #require(
                try await web.api(.get, "/api/v1/reminders/\(id)", token: advisorToken).json() as? [String: Any])
            #expect(api["outcome"] as? String == "appointment" && api["status"] as? String == "done")
            // Execution per day and per rule, as the manager's page counts them.
            let work = try await app.services.advisors.reminderWork(
                storeId: storeA, asOf: LocalDate("2025-01-20")!, scope: .system)
            #expect(work.days.count == 14 && work.days.first { $0.date == LocalDate("2025-01-10") }?.worked == 1)
            #expect(
                work.rules.map(\.type) == [.winback] && work.rules.first?.due == 1 && work.rules.first?.converted == 0)
            let compare = try await web.signedIn("manager-a").get("/stores/\(storeA)/advisors")
            #expect(compare.text.contains("section-execution") && compare.text.contains("section-conversion"))
            #expect(
                try await web.api(
                    .post, "/api/v1/reminders/\(id)/outcome", token: advisorToken, json: #"{"outcome":"later"}"#
                ).status == .unprocessableContent)

            // The manager's button runs today's rules; nothing new for this customer today.
            let manager = try await web.signedIn("manager-a")
            #expect(try await manager.get("/reminders").text.contains("run-reminders"))
            #expect(try await manager.post("/reminders/run", []).status == .seeOther)
            #expect(try await advisor.post("/reminders/run", []).status == .forbidden)

            // The rules: a partial change keeps the rest; nonsense is refused and changes nothing.
            let changed = try await web.api(
                .put, "/api/v1/reminders/settings?storeId=\(storeA)", token: managerToken,
                json: #"{"maintenanceKm":7500}"#)
            #expect(changed.status == .ok)
            let settings = try #require(try changed.json() as? [String: Any])
            #expect(settings["maintenanceKm"] as? Int == 7500 && settings["maintenanceMonths"] as? Int == 6)
            #expect(
                try await web.api(
                    .put, "/api/v1/reminders/settings", token: managerToken, json: #"{"maintenanceKm":1}"#
                ).status == .unprocessableContent)
            #expect(
                try await web.api(.put, "/api/v1/reminders/settings", token: advisorToken, json: "{}").status
                    == .forbidden)
            let kept = try await app.services.reminders.settings(storeId: storeA, scope: .system)
            #expect(kept.maintenanceKm == 7500)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theRulesPageSavesWhatAManagerSetsAndRefusesNonsense(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let storeA = app.fixture.storeA.id
            var form: [(String, String)] = ReminderType.allCases.filter { $0 != .warranty }.map { ("on", $0.rawValue) }
            form += [
                ("channel-greeting", "message"), ("channel-insurance", "both"), ("maintenanceKm", "7500"),
                ("maintenanceMonths", "6"), ("maintenanceLeadDays", "10"), ("defaultKmPerDay", "40"),
                ("readingsUsed", "5"), ("firstMonths", "3"), ("firstKm", "5000"), ("secondMonths", "9"),
                ("secondKm", "10000"), ("insuranceLeadDays", "30, 7"), ("inspectionLeadDays", "30"),
                ("licenceLeadDays", "30"), ("warrantyLeadDays", "30"), ("overdueDays", "60"),
                ("seasonalCare", "06-01, 11-15"), ("conversionDays", "30"), ("dailyHour", "7"),
                ("winbackStages", "at_risk"), ("greetingStages", "active"), ("festivals", "mid_autumn"),
                ("birthdayGreeting", "1"), ("dailyRun", "1"),
            ]
            let manager = try await web.signedIn("manager-a")
            let page = try await manager.get("/stores/\(storeA)/reminder-settings")
            #expect(
                page.status == .ok && page.text.contains("reminder-settings") && page.text.contains("value=\"5000\""))
            let saved = try await manager.post("/stores/\(storeA)/reminder-settings", form)
            #expect(saved.status == .seeOther)
            let settings = try await app.services.reminders.settings(storeId: storeA, scope: .system)
            #expect(settings.maintenanceKm == 7_500 && settings.disabled == [.warranty] && settings.dailyHour == 7)
            #expect(settings.channel(.insurance) == .both && settings.insuranceLeadDays == [30, 7])
            #expect(
                settings.winbackStages == [.atRisk] && settings.festivals == ["mid_autumn"]
                    && !settings.anniversaryGreeting)
            let bad = try await manager.post(
                "/stores/\(storeA)/reminder-settings", form.map { $0.0 == "seasonalCare" ? ($0.0, "13-45") : $0 })
            #expect(bad.status == .unprocessableContent && bad.text.contains("role=\"alert\""))
            #expect(try await app.services.reminders.settings(storeId: storeA, scope: .system) == settings)
            let advisor = try await web.signedIn("advisor-a")
            #expect(try await advisor.get("/stores/\(storeA)/reminder-settings").status == .ok)
            #expect(try await advisor.post("/stores/\(storeA)/reminder-settings", form).status == .forbidden)
        }
    }
}
