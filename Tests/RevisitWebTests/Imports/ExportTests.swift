import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

/// Exports: the list as CSV or XLSX with its filters, masked per role, formula-safe, audited, by right.
@Suite struct ExportTests {
    static func seed(_ app: TestApp) async throws {
        let scope = try await app.services.identity.scope(for: app.fixture.managerA, clientAddress: "t")
        for (name, phone) in [("王伟", "13812345678"), ("=HYPERLINK(\"http://evil\")", "13900000001")] {
            _ = try await app.services.customers.createCustomer(
                storeId: app.fixture.storeA.id,
                CustomerDraft(
                    name: name, phones: [CustomerPhone(number: PhoneNumber(phone), kind: .mobile, primary: true)]),
                scope: scope)
        }
        _ = try await app.services.repairOrders.createRepairOrder(
            storeId: app.fixture.storeA.id,
            RepairOrderDraft(
                orderNo: "RO-9", type: .periodicMaintenance, openedOn: LocalDate("2024-03-05")!, totalFen: 129_950),
            scope: scope)
    }

    @Test(arguments: TestDatabase.engines)
    func aManagerExportsTheListAsCSVAndXLSX(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            try await Self.seed(app)
            let manager = try await web.signedIn("manager-a")
            let list = try await manager.get("/customers?q=王")
            #expect(list.text.contains("id=\"export-csv\""))
            let csv = try await manager.get("/customers/export?format=csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = csv.text.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3)
            #expect(lines.contains { $0.hasPrefix(",王伟,") && $0.contains("13812345678") })
            #expect(lines.contains { $0.contains("\"'=HYPERLINK(") })
            let filtered = try await manager.get("/customers/export?format=csv&q=%E7%8E%8B")
            #expect(filtered.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2)
            let xlsx = try await manager.get("/customers/export?format=xlsx")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).xlsx").path
            try Data(xlsx.body.readableBytesView).write(to: URL(fileURLWithPath: path))
            let reader = try XLSXReader(path: path)
            var rows = 0
            while try reader.next() != nil { rows += 1 }
            #expect(rows == 3)
            let audit = try await app.services.audit.entries(AuditFilter(action: "export.created"), scope: .system)
            #expect(audit.count == 3 && audit.allSatisfy { $0.login == "manager-a" })
            #expect(try await manager.get("/customers/export?format=pdf").status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func exportsNeedTheRightAndMaskPhonesPerRole(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            try await Self.seed(app)
            let advisor = try await web.signedIn("advisor-a")
            #expect(!(try await advisor.get("/customers").text.contains("export-csv")))
            #expect(try await advisor.get("/customers/export?format=csv").status == .forbidden)
            let analyst = try await ApiTests.token(for: "analyst", web: web)
            let masked = try await web.api(.get, "/api/v1/customers/export?format=csv", token: analyst)
            #expect(masked.status == .ok && masked.text.contains("138****5678") && !masked.text.contains("13812345678"))
            let orders = try await web.api(.get, "/api/v1/repair-orders/export?format=csv", token: analyst)
            #expect(orders.text.contains("RO-9,2024-03-05") && orders.text.contains("1299.5"))
            let advisorToken = try await ApiTests.token(for: "advisor-a", web: web)
            #expect(
                try await web.api(.get, "/api/v1/repair-orders/export", token: advisorToken).status == .forbidden)
        }
    }
}
