import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

/// Importing in the browser: upload, mapping preview, start, progress page, error report; and the API.
@Suite struct ImportPagesTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    static let customers = "客户号,姓名,联系电话,性别\nKH001,王伟,13812345678,男\nKH002,李娜,010-85550101,女\nKH003,,13900000000,男\n"

    /// Waits for a background import to finish.
    static func finished(_ app: TestApp, _ id: Int64) async throws -> ImportRun {
        for _ in 0..<200 {
            let run = try await app.services.imports.run(id: id, scope: .system)
            if run.status != .running { return run }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestFailure("import \(id) did not finish")
    }

    static func runId(_ location: String?) throws -> Int64 {
        let id = location.flatMap { $0.split(separator: "/").last }.flatMap { Int64($0) }
        return try #require(id)
    }

    @Test(arguments: TestDatabase.engines)
    func aManagerUploadsChecksTheMappingAndImports(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let browser = try await web.signedIn("manager-a")
            let index = try await browser.get("/imports")
            #expect(index.status == .ok && index.text.contains("upload-form"))
            let upload = try await browser.upload(
                "/imports/upload",
                MultipartBody(
                    fields: [("kind", "customers"), ("mapping", ""), ("encoding", "")],
                    file: ("客户.csv", [UInt8](Self.customers.data(using: Self.gb18030)!))))
            #expect(upload.status == .seeOther)
            let location = try #require(upload.headers[.location])
            #expect(location.hasPrefix("/imports/uploads/"))
            let preview = try await browser.get(location)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("gb18030") && preview.text.contains("李娜"))
            // Labels are texts, never a dictionary of translations; nothing is missing in this file.
            #expect(!preview.text.contains("[\"") && !preview.text.contains(#"id="missing""#))
            #expect(preview.text.contains(#"<option value="客户号" selected>客户号</option>"#))
            let token = location.split(separator: "/")[2].split(separator: "?")[0]
            let start = try await browser.post(
                "/imports/uploads/\(token)/start",
                [
                    ("kind", "customers"), ("encoding", "gb18030"), ("sheet", ""), ("map.customerNo", "客户号"),
                    ("map.name", "姓名"), ("map.mobile", "联系电话"), ("map.gender", "性别"), ("save_as", "本店DMS"),
                ])
            #expect(start.status == .seeOther)
            let id = try Self.runId(start.headers[.location])
            let run = try await Self.finished(app, id)
            #expect(run.status == .done && run.counts == ImportCounts(read: 3, inserted: 2, rejected: 1))
            let page = try await browser.get("/imports/\(id)")
            #expect(page.text.contains(#"id="count-inserted">2<"#) && page.text.contains(#"id="problems""#))
            #expect(page.text.contains("请填写“姓名”"))
            let report = try await browser.get("/imports/\(id)/errors.csv")
            #expect(report.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(Array(report.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(report.text.contains("行号,列,原因") && report.text.contains("4,姓名,"))
            let saved = try await app.services.imports.mappings(storeId: app.fixture.storeA.id, scope: .system)
            #expect(saved.map(\.name) == ["本店DMS"] && saved.first?.fields[.customerNo] == "客户号")
            // The upload is gone once imported; its preview is no more.
            #expect(try await browser.get(location).status == .notFound)
            #expect(try await browser.get("/imports").text.contains("客户.csv"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aFileWithoutARequiredColumnCannotStart(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { _, web in
            let browser = try await web.signedIn("manager-a")
            _ = try await browser.get("/imports")
            let upload = try await browser.upload(
                "/imports/upload",
                MultipartBody(fields: [("kind", "vehicles")], file: ("v.csv", Array("车牌,品牌\n京A12345,大众\n".utf8))))
            let preview = try await browser.get(try #require(upload.headers[.location]))
            #expect(preview.text.contains(#"id="missing""#) && !preview.text.contains(#"id="start""#))
            let good = try await browser.upload(
                "/imports/upload",
                MultipartBody(
                    fields: [("kind", "vehicles")], file: ("v.csv", Array("VIN,车牌\nLSVAU2187N2184306,京A1\n".utf8))))
            #expect(try await browser.get(try #require(good.headers[.location])).text.contains(#"id="start""#))
            // A form post that skips the preview is refused whole and recorded.
            let notTable = try await browser.upload(
                "/imports/upload", MultipartBody(fields: [("kind", "customers")], file: ("x.bin", [0, 1, 2, 0])))
            let page = try await browser.get(try #require(notTable.headers[.location]))
            #expect(page.status == .unprocessableContent)
            let empty = try await browser.upload(
                "/imports/upload", MultipartBody(fields: [("kind", "customers")], file: nil))
            #expect(empty.status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func advisorsDoNotImportAndUploadsNeedTheToken(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { _, web in
            let advisor = try await web.signedIn("advisor-a")
            let page = try await advisor.get("/imports").text
            #expect(page.contains("只有店长和管理员可以导入数据") && !page.contains("upload-form"))
            let refused = try await advisor.upload(
                "/imports/upload", MultipartBody(fields: [("kind", "customers")], file: ("c.csv", Array("a\n".utf8))))
            #expect(refused.status == .forbidden)
            let manager = try await web.signedIn("manager-a")
            let forged = try await manager.upload(
                "/imports/upload?_csrf=forged",
                MultipartBody(fields: [("kind", "customers")], file: ("c.csv", Array("a\n".utf8))))
            #expect(forged.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aManagerLinksAnUnknownAdvisorName(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let token = try await ApiTests.token(for: "manager-a", web: web)
            let orders = "工单号,开单日期,服务顾问\nRO1,2024-03-05,小周\n"
            _ = try await web.apiUpload(
                "/api/v1/imports?wait=true", token: token,
                MultipartBody(fields: [("kind", "repair-orders")], file: ("ro.csv", Array(orders.utf8))))
            let browser = try await web.signedIn("manager-a")
            let page = try await browser.get("/imports/advisors")
            #expect(page.text.contains("小周") && page.text.contains("unlinked-advisors"))
            let linked = try await browser.post(
                "/imports/advisors", [("name", "小周"), ("user", String(app.fixture.advisorA.id))])
            #expect(linked.status == .seeOther)
            #expect(try await browser.get("/imports/advisors").text.contains("所有服务顾问姓名都已关联"))
            let api = try await web.api(.get, "/api/v1/imports/advisors", token: token)
            #expect((try api.json() as? [Any])?.isEmpty == true)
            let bad = try await web.api(
                .post, "/api/v1/imports/advisors", token: token,
                json: "{\"name\":\"小周\",\"userId\":\(app.fixture.advisorB.id)}")
            #expect(bad.status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theApiImportsInTheBackgroundOrWaits(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let token = try await ApiTests.token(for: "manager-a", web: web)
            let vehicles = "VIN,车牌,品牌\nLSVAU2187N2184306,京A12345,大众\nLSVAU2187N2184307,京B1,大众\n"
            let waited = try await web.apiUpload(
                "/api/v1/imports?wait=true", token: token,
                MultipartBody(fields: [("kind", "vehicles")], file: ("v.csv", Array(vehicles.utf8))))
            #expect(waited.status == .ok)
            let body = try #require(try waited.json() as? [String: Any])
            #expect(body["status"] as? String == "done" && body["inserted"] as? Int == 2)
            let id = try #require(body["id"] as? Int)
            let again = try await web.apiUpload(
                "/api/v1/imports", token: token,
                MultipartBody(
                    fields: [("kind", "vehicles"), ("dryRun", "true")], file: ("v.csv", Array(vehicles.utf8))))
            #expect(again.status == .accepted)
            let againId = try #require((try again.json() as? [String: Any])?["id"] as? Int)
            let run = try await Self.finished(app, Int64(againId))
            #expect(run.counts == ImportCounts(read: 2, unchanged: 2) && run.dryRun)
            let fetched = try #require(
                try await web.api(.get, "/api/v1/imports/\(againId)", token: token).json() as? [String: Any])
            #expect(fetched["unchanged"] as? Int == 2 && fetched["status"] as? String == "done")
            let list = try #require(try await web.api(.get, "/api/v1/imports", token: token).json() as? [[String: Any]])
            #expect(list.map { $0["id"] as? Int } == [againId, id])
            let problems = try await web.api(.get, "/api/v1/imports/\(id)/problems", token: token)
            #expect((try problems.json() as? [Any])?.isEmpty == true)
            let refused = try #require(
                try await web.apiUpload(
                    "/api/v1/imports?wait=true", token: token,
                    MultipartBody(fields: [("kind", "vehicles")], file: ("v.csv", Array("车牌\n京A1\n".utf8)))
                ).json() as? [String: Any])
            #expect(refused["status"] as? String == "refused")
            #expect((refused["error"] as? [String: Any])?["code"] as? String == "import_missing_columns")
            let badKind = try await web.apiUpload(
                "/api/v1/imports", token: token, MultipartBody(fields: [("kind", "cars")], file: ("v.csv", [65])))
            #expect(badKind.status == .unprocessableContent)
            let advisor = try await ApiTests.token(for: "advisor-a", web: web)
            let forbidden = try await web.apiUpload(
                "/api/v1/imports", token: advisor, MultipartBody(fields: [("kind", "vehicles")], file: ("v.csv", [65])))
            #expect(forbidden.status == .forbidden)
        }
    }
}
