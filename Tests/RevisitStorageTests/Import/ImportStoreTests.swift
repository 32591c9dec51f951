import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// DMS imports through the Importer on both engines: linking in any file order, idempotent re-imports,
/// bad rows, refused files, dry runs, and a killed import resumed to exactly a clean run's rows.
@Suite struct ImportStoreTests {
    struct World: Sendable {
        let fixture: Fixture
        let database: Database
        let store: SQLImportStore
        let manager: Scope
        let advisor: Scope
    }

    static func withWorld(_ engine: DatabaseEngine, _ body: @Sendable (World) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            try await body(
                World(
                    fixture: fixture, database: database, store: SQLImportStore(database: database, now: { Date() }),
                    manager: try await identity.scope(for: fixture.managerA, clientAddress: "t"),
                    advisor: try await identity.scope(for: fixture.advisorA, clientAddress: "t")))
        }
    }

    static func file(_ text: String, encoding: String.Encoding = .utf8, bom: Bool = false) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).csv").path
        var data = bom ? Data([0xEF, 0xBB, 0xBF]) : Data()
        data.append(text.data(using: encoding)!)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static let customers = """
        客户号,姓名,联系电话,性别,联系地址
        KH001,王伟,138-1234-5678,男,朝阳路1号
        KH002,李娜,010-85550101,女,
        KH003,张敏,12345,女,海淀路3号

        """
    static let vehicles = """
        VIN,车牌,客户号,品牌,车型,购车日期
        LSVAU2187N2184306,京A12345,KH001,大众,帕萨特,2021/3/7
        LFV2A21K2G4011112,京B54321,KH002,大众,迈腾,2022年5月1日
        LFV2A21K3G4011112,京C11111,KH009,丰田,卡罗拉,20230101

        """
    static let orders = """
        工单号,行号,开单日期,出厂日期,行驶里程,工单类型,客户号,VIN,项目类型,项目编码,项目名称,数量,金额,服务顾问
        RO1,1,2024年03月05日 09:32,2024年03月05日,41200,定保,KH001,LSVAU2187N2184306,工时,L01,更换机油,1,"¥120.00",周杰
        RO1,2,2024年03月05日,2024年03月05日,41200,定保,KH001,LSVAU2187N2184306,配件,P01,机油,4,"¥1,299.00",周杰
        RO2,1,2024/6/1,,52000,事故,KH002,LFV2A21K2G4011112,工时,L09,钣金,1,800,吴磊

        """

    func run(
        _ w: World, _ path: String, _ kind: ImportKind, scope: Scope? = nil, dryRun: Bool = false, batchSize: Int = 2
    ) async throws -> ImportRun {
        try await Importer(store: w.store, batchSize: batchSize).run(
            path: path, .init(storeId: w.fixture.storeA.id, kind: kind, fileName: "f.csv", dryRun: dryRun),
            scope: scope ?? w.manager)
    }

    /// Everything the imports wrote, by DMS keys (ids differ between databases).
    static func snapshot(_ database: Database) async throws -> [String] {
        var lines: [String] = []
        for row in try await database.all(
            "SELECT customer_no, name, address, primary_phone, phone_flag, version FROM customers ORDER BY customer_no"
        ) {
            lines.append(
                "C \(try row.string("customer_no")) \(try row.string("name")) \(try row.string("address")) \(try row.string("primary_phone")) \(try row.int64("phone_flag"))"
            )
        }
        for row in try await database.all(
            """
            SELECT v.vin, v.plate, v.vin_flag, c.customer_no, v.owner_customer_no, v.mileage_km FROM vehicles v
            LEFT JOIN customers c ON c.id = v.owner_customer_id ORDER BY v.vin
            """
        ) {
            lines.append(
                "V \(try row.string("vin")) \(try row.string("plate")) \(try row.int64("vin_flag")) \(try row.optionalString("customer_no") ?? "-") \(try row.optionalInt64("mileage_km") ?? -1)"
            )
        }
        for row in try await database.all(
            """
            SELECT o.order_no, o.type, o.opened_on, o.total_fen, o.labor_fen, c.customer_no, v.vin, o.advisor_name,
                (SELECT COUNT(*) FROM repair_order_lines l WHERE l.repair_order_id = o.id) AS lines
            FROM repair_orders o LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN vehicles v ON v.id = o.vehicle_id
            ORDER BY o.order_no
            """
        ) {
            lines.append(
                "O \(try row.string("order_no")) \(try row.string("type")) \(try row.string("opened_on")) \(try row.int64("total_fen")) \(try row.int64("labor_fen")) \(try row.optionalString("customer_no") ?? "-") \(try row.optionalString("vin") ?? "-") \(try row.string("advisor_name")) \(try row.int64("lines"))"
            )
        }
        let owners = try await database.all("SELECT COUNT(*) AS n FROM vehicle_owners")
        lines.append("ownerships \(try owners[0].int64("n"))")
        return lines
    }

    @Test(arguments: TestDatabase.engines)
    func filesInAnyOrderLinkByTheirKeys(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let orders = try await run(w, try Self.file(Self.orders), .repairOrders)
            #expect(orders.status == .done)
            #expect(orders.counts == ImportCounts(read: 3, inserted: 3))
            let vehicles = try await run(w, try Self.file(Self.vehicles, encoding: Self.gb18030), .vehicles)
            #expect(vehicles.encoding == "gb18030" && vehicles.counts.inserted == 3)
            let customers = try await run(w, try Self.file(Self.customers, bom: true), .customers)
            #expect(customers.counts == ImportCounts(read: 3, inserted: 3))
            let snapshot = try await Self.snapshot(w.database)
            #expect(snapshot.contains("C KH003 张敏 海淀路3号 12345 1"))  // an imperfect phone is kept and flagged
            #expect(snapshot.contains("V LSVAU2187N2184306 京A12345 0 KH001 41200"))  // mileage from the visit
            #expect(snapshot.contains("V LFV2A21K3G4011112 京C11111 1 - -1"))  // wrong check digit kept, flagged
            #expect(
                snapshot.contains("O RO1 periodic-maintenance 2024-03-05 141900 12000 KH001 LSVAU2187N2184306 周杰 2"))
            #expect(snapshot.contains("O RO2 accident 2024-06-01 80000 80000 KH002 LFV2A21K2G4011112 吴磊 1"))
            #expect(snapshot.last == "ownerships 2")
            // The time after the open date is kept for the workshop's traffic by hour.
            let times = try await w.database.all("SELECT order_no, opened_minute FROM repair_orders ORDER BY order_no")
            #expect(try times.map { try $0.optionalInt64("opened_minute") } == [572, nil])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func reimportingChangesNothingAndAChangedRowOnlyWhatChanged(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let path = try Self.file(Self.customers)
            _ = try await run(w, path, .customers)
            _ = try await run(w, try Self.file(Self.orders), .repairOrders)
            let before = try await Self.snapshot(w.database)
            let again = try await run(w, path, .customers)
            #expect(again.counts == ImportCounts(read: 3, unchanged: 3))
            let ordersAgain = try await run(w, try Self.file(Self.orders), .repairOrders)
            #expect(ordersAgain.counts == ImportCounts(read: 3, unchanged: 3))
            #expect(try await Self.snapshot(w.database) == before)
            // Li moved; Wang's address cell is blank now, which does not erase it.
            let changed = Self.customers.replacingOccurrences(
                of: "KH002,李娜,010-85550101,女,", with: "KH002,李娜,010-85550101,女,望京5号"
            )
            .replacingOccurrences(of: "男,朝阳路1号", with: "男,")
            let update = try await run(w, try Self.file(changed), .customers)
            #expect(update.counts == ImportCounts(read: 3, updated: 2, unchanged: 1))
            let after = try await Self.snapshot(w.database)
            #expect(after.contains("C KH002 李娜 望京5号 01085550101 0"))
            #expect(after.contains("C KH001 王伟 朝阳路1号 13812345678 0"))
        }
    }

    /// A file may say who refused service messages (服务短信); a file without the column leaves the consent
    /// as it is, and its fingerprints as they were.
    @Test(arguments: TestDatabase.engines)
    func aServiceConsentColumnSetsItAndAFileWithoutOneLeavesIt(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            _ = try await run(w, try Self.file(Self.customers), .customers)
            let withColumn = """
                客户号,姓名,服务短信
                KH001,王伟,否
                KH002,李娜,是

                """
            let first = try await run(w, try Self.file(withColumn), .customers)
            #expect(first.counts == ImportCounts(read: 2, updated: 2))
            func consent() async throws -> [String] {
                try await w.database.all(
                    "SELECT customer_no, consent_service FROM customers ORDER BY customer_no"
                ).map { "\(try $0.string("customer_no")) \(try $0.int64("consent_service"))" }
            }
            #expect(try await consent() == ["KH001 0", "KH002 1", "KH003 1"])
            let again = try await run(w, try Self.file(Self.customers), .customers)
            #expect(again.counts.unchanged + again.counts.updated == 3)
            #expect(try await consent() == ["KH001 0", "KH002 1", "KH003 1"])
        }
    }

    /// A flattened order whose rows disagree (the DMS repeated a stale mileage) takes its fields from its
    /// first row, across batch boundaries too, so the same file again is all unchanged.
    @Test(arguments: TestDatabase.engines)
    func anOrdersFirstRowDecidesEvenWhenItsRowsDisagree(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let text = """
                工单号,行号,开单日期,行驶里程,项目名称,金额
                RO1,1,2024-03-05,41200,机油,100
                RO1,2,2024-03-05,41300,机滤,50
                RO1,3,2024-03-05,41400,工时,80

                """
            let first = try await run(w, try Self.file(text), .repairOrders, batchSize: 2)
            #expect(first.counts == ImportCounts(read: 3, inserted: 3))
            let again = try await run(w, try Self.file(text), .repairOrders, batchSize: 2)
            #expect(again.counts == ImportCounts(read: 3, unchanged: 3))
            let mileage = try await w.database.all("SELECT mileage_in, total_fen FROM repair_orders")
            #expect(try mileage.first?.int64("mileage_in") == 41200 && mileage.first?.int64("total_fen") == 23000)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func badRowsAreReportedWithLineAndColumnWhileGoodRowsLand(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let text = """
                工单号,开单日期,工单类型,金额,项目名称
                RO1,2024-03-05,首保,100,机油
                RO2,2024-02-30,首保,100,机油
                RO3,2024-03-06,首保,很多,
                RO4,2024-03-07,首保,100,机滤

                """
            let run = try await run(w, try Self.file(text), .repairOrders)
            #expect(run.status == .done)
            #expect(run.counts == ImportCounts(read: 4, inserted: 2, rejected: 2))
            let problems = try await w.store.problems(importId: run.id, limit: 100, scope: w.manager)
            #expect(problems.map(\.line) == [3, 4, 4])
            #expect(problems.map(\.column) == ["开单日期", "项目名称", "金额"])
            #expect(problems.map(\.code) == [.invalidDate, .required, .invalidAmount])
            let orders = try await w.database.all("SELECT order_no FROM repair_orders ORDER BY order_no")
            #expect(try orders.map { try $0.string("order_no") } == ["RO1", "RO4"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func unusableFilesAreRefusedWholeWithTheReason(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let missing = try await run(w, try Self.file("车牌,品牌\n京A12345,大众\n"), .vehicles)
            #expect(missing.status == .refused && missing.messageCode == "import_missing_columns")
            #expect(missing.messageArgs["missing"] == "vin" && missing.messageArgs["headers"] == "车牌, 品牌")
            let binary = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).bin").path
            try Data([0x00, 0x01, 0x02, 0xFF, 0x00, 0x10]).write(to: URL(fileURLWithPath: binary))
            let refused = try await run(w, binary, .customers)
            #expect(refused.status == .refused && refused.messageCode == "import_not_tabular")
            let empty = try await run(w, try Self.file(""), .customers)
            #expect(empty.status == .refused && empty.messageCode == "import_empty")
            #expect(try await w.database.all("SELECT id FROM vehicles").isEmpty)
            #expect(try await w.store.runs(storeId: w.fixture.storeA.id, limit: 10, scope: w.manager).count == 3)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aDryRunCountsEverythingAndWritesNothing(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let run = try await run(w, try Self.file(Self.orders), .repairOrders, dryRun: true)
            #expect(run.dryRun && run.status == .done && run.counts == ImportCounts(read: 3, inserted: 3))
            #expect(try await w.database.all("SELECT id FROM repair_orders").isEmpty)
            #expect(try await w.database.all("SELECT store_id FROM repair_order_lines").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func linesThatArriveBeforeTheirOrderWaitForIt(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let lines = """
                工单号,项目类型,项目名称,金额
                RO7,工时,四轮定位,300
                RO7,配件,刹车片,"1,200"

                """
            let first = try await run(w, try Self.file(lines), .lines)
            #expect(first.counts == ImportCounts(read: 2, inserted: 2))
            #expect(try await run(w, try Self.file(lines), .lines).counts == ImportCounts(read: 2, unchanged: 2))
            _ = try await run(w, try Self.file("工单号,开单日期,工单类型\nRO7,2024-05-05,一般维修\n"), .repairOrders)
            let snapshot = try await Self.snapshot(w.database)
            #expect(snapshot.contains("O RO7 general-repair 2024-05-05 150000 30000 - -  2"))
        }
    }

    /// Names the DMS writes for advisors link to users: by the user's name at once, or once the manager
    /// maps an unknown name, for its orders and every later import.
    @Test(arguments: TestDatabase.engines)
    func advisorNamesLinkByNameOrOnceMapped(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let advisor = w.fixture.advisorA
            let text = """
                工单号,开单日期,服务顾问
                RO1,2024-03-05,\(advisor.name)
                RO2,2024-03-06,小周
                RO3,2024-03-07,小周

                """
            _ = try await run(w, try Self.file(text), .repairOrders)
            #expect(
                try await w.store.unlinkedAdvisors(storeId: w.fixture.storeA.id, scope: w.manager)
                    == [UnlinkedAdvisor(name: "小周", orders: 2)])
            let linked = try await w.store.linkAdvisor(
                name: "小周", userId: advisor.id, storeId: w.fixture.storeA.id, scope: w.manager)
            #expect(linked == 2)
            #expect(try await w.store.unlinkedAdvisors(storeId: w.fixture.storeA.id, scope: w.manager).isEmpty)
            _ = try await run(w, try Self.file("工单号,开单日期,服务顾问\nRO4,2024-03-08,小周\n"), .repairOrders)
            let orders = try await w.database.all("SELECT advisor_id FROM repair_orders ORDER BY order_no")
            #expect(try orders.map { try $0.optionalInt64("advisor_id") } == Array(repeating: advisor.id, count: 4))
            // Only users of the store can be linked.
            await #expect(throws: RevisitError.self) {
                _ = try await w.store.linkAdvisor(
                    name: "小周", userId: w.fixture.advisorB.id, storeId: w.fixture.storeA.id, scope: w.manager)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func onlyManagersAndAdministratorsImport(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            await #expect(throws: RevisitError.self) {
                _ = try await run(w, try Self.file(Self.customers), .customers, scope: w.advisor)
            }
        }
    }

    /// A store whose `apply` dies after some batches, the way a killed process stops between two commits.
    struct DyingStore: ForwardingImportStore {
        let inner: SQLImportStore
        let batchesBeforeDeath: Int
        let applied = Tally()

        struct Killed: Error {}

        func apply(_ batch: ImportBatch, to run: ImportRun, scope: Scope) async throws -> ImportRun {
            if applied.add(1) > batchesBeforeDeath { throw Killed() }
            return try await inner.apply(batch, to: run, scope: scope)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aKilledImportRunAgainEndsWithExactlyACleanRunsRows(engine: DatabaseEngine) async throws {
        var text = "工单号,行号,开单日期,工单类型,客户号,项目类型,项目名称,金额\n"
        for order in 1...40 {
            for line in 1...3 {
                text +=
                    "RO\(order),\(line),2024-03-\(10 + order % 15),定保,KH\(order % 7),\(line == 1 ? "工时" : "配件"),项目\(line),\(order * 10 + line)\n"
            }
            if order == 17 { text += "RO-BAD,1,不是日期,定保,KH1,工时,项目,1\n" }
        }
        let path = try Self.file(text)
        let clean = try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let run = try await Importer(store: SQLImportStore(database: database, now: { Date() }), batchSize: 7).run(
                path: path, .init(storeId: fixture.storeA.id, kind: .repairOrders, fileName: "ro.csv"), scope: .system)
            return (try await Self.snapshot(database), run.counts)
        }
        try await Self.withWorld(engine) { w in
            let request = ImportRequest(
                storeId: w.fixture.storeA.id, kind: .repairOrders, fileName: "ro.csv",
                fileSHA256: try Self.digest(path), fileSize: 0, format: .csv)
            let dying = DyingStore(inner: w.store, batchesBeforeDeath: 5)
            await #expect(throws: DyingStore.Killed.self) {
                _ = try await ImportRunner(store: dying, batchSize: 7).run(
                    request, source: CSVReader(try UTF8Transcoder(FileByteSource(path: path))), encoding: "utf-8",
                    scope: w.manager)
            }
            let killed = try #require(try await w.store.runs(storeId: nil, limit: 1, scope: w.manager).first)
            // Batches end between orders: five of three orders each.
            #expect(killed.status == .running && killed.rowsDone == 45)
            let resumed = try await Importer(store: w.store, batchSize: 7).run(
                path: path, .init(storeId: w.fixture.storeA.id, kind: .repairOrders, fileName: "ro.csv"),
                scope: w.manager)
            #expect(resumed.resumedFrom == killed.id && resumed.status == .done)
            #expect(resumed.counts == clean.1)
            #expect(try await Self.snapshot(w.database) == clean.0)
            #expect(try await w.store.run(id: killed.id, scope: w.manager).status == .resumed)
            #expect(try await w.store.problems(importId: resumed.id, limit: 10, scope: w.manager).map(\.line) == [53])
        }
    }

    /// The importer's own digest, so the dying run and the re-run name the same file.
    static func digest(_ path: String) throws -> String { try Importer.sha256(path: path).0 }
}
