import Foundation
import NIOCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitCore
@testable import RevisitStorage

/// The PostgreSQL COPY path for repair orders: its text encoding, and that it writes and counts exactly
/// what the row writer does for the same batches (the row writer replayed on a second PostgreSQL
/// database and on SQLite).
@Suite struct PostgresOrderWriterTests {
    @Test func copyRowsEscapeWhatWouldEndAFieldAndKeepNullApartFromEmpty() {
        var rows = PostgresCopyRows()
        rows.append("制动液\t\"DOT4\"\n第二行\\末尾\r")
        rows.append(nil as String?)
        rows.append("")
        rows.append(Int64(-42))
        rows.append(1.25)
        rows.append(true)
        rows.endRow()
        rows.append(#"\N"#)
        rows.append(nil as Int64?)
        rows.endRow()
        rows.append(Int64.min)
        rows.append(Int64(0))
        rows.appendNulls(2)
        rows.append(Int64.max)
        rows.endRow()
        #expect(
            String(buffer: rows.buffer)
                == "制动液\\t\"DOT4\"\\n第二行\\\\末尾\\r\t\\N\t\t-42\t1.25\tt\n\\\\N\t\\N\n"
                + "-9223372036854775808\t0\t\\N\t\\N\t9223372036854775807\n")
    }

    /// What the statements read instead of window functions: repeats, each order's line sums and whether
    /// it takes them, and the rows that may stand for an order.
    @Test func aBatchsShapeCountsRepeatsSumsAndTheRowsThatMayStandForAnOrder() {
        func row(
            _ number: String, _ lineNo: Int?, _ kind: LineKind = .labor, amount: Int64 = 100,
            total: Int64? = nil, continues: Bool = false
        ) -> RepairOrderImport {
            var record = RepairOrderImport(
                line: 0, orderNo: number, openedOn: nil, closedOn: nil, mileageIn: nil, type: nil, customerNo: nil,
                vin: nil, advisorName: nil, laborFen: nil, partsFen: nil, totalFen: total, costFen: nil,
                internalComeback: nil, externalComeback: nil,
                item: lineNo.map {
                    LineImport(lineNo: $0, kind: kind, code: "C", name: "N", quantity: 1, amountFen: amount, costFen: 7)
                })
            record.continuesOrder = continues
            return record
        }
        let shape = PostgresOrderWriter.BatchShape([
            row("A", 1, continues: true), row("A", 2, .part, amount: 250, continues: true), row("A", 3),
            row("B", 1), row("B", 1, amount: 300, continues: true),
            row("C", 1, total: 999), row("C", nil, continues: true),
        ])
        #expect(shape.order == [0, 0, 0, 1, 1, 2, 2])
        // A's first row in the batch, and its first that starts the order in the file.
        #expect(shape.candidate == [true, false, true, true, false, true, false])
        #expect(shape.repeated == [false, false, false, true, true, false, false])
        #expect(shape.orders.map(\.labor) == [200, 400, 100])
        #expect(shape.orders.map(\.parts) == [250, 0, 0])
        #expect(shape.orders.map(\.total) == [450, 400, 100])
        #expect(shape.orders.map(\.cost) == [21, 14, 7])
        // B repeats a line number; C's file gives an amount.
        #expect(shape.orders.map(\.fromLines) == [true, false, false])
    }

    static let awkward = [
        "", " ", "\t", "\n", "\r\n", "\\", #"\N"#, #"\."#, "a\\tb", "引号\"'`", "中文，全角；符号！", "🚗 emoji",
        String((UInt8(1)...31).map { Character(Unicode.Scalar($0)) }),
    ]

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func copyBringsBackEveryValueExactly() async throws {
        try await TestDatabase.with(.postgresql) { database in
            let values: [String?] = Self.awkward + [nil]
            let numbers: [Double?] = [0.1, 1e-7, 123_456.789, -2.5, 1 / 3, nil]
            let back = try await database.transaction { db in
                try await db.raw("CREATE TEMP TABLE copy_check (n BIGINT, t TEXT, d DOUBLE PRECISION)").run()
                var rows = PostgresCopyRows()
                for (index, value) in values.enumerated() {
                    rows.append(Int64(index))
                    rows.append(value)
                    rows.append(numbers[index % numbers.count])
                    rows.endRow()
                }
                try await rows.copy(into: "copy_check", columns: ["n", "t", "d"], on: db)
                return try await db.raw("SELECT t, d FROM copy_check ORDER BY n").all().map {
                    (try $0.optionalString("t"), try $0.decode(column: "d", as: Double?.self))
                }
            }
            #expect(back.map(\.0) == values)
            #expect(back.map(\.1) == values.indices.map { numbers[$0 % numbers.count] })
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func theCopyPathWritesAndCountsWhatTheRowWriterDoes() async throws {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        try await TestDatabase.with(.postgresql) { database in
            let (storeId, recorded) = try await Self.importAll(on: database, now: now)
            let copied = try await Self.dump(database)
            // What the COPY path must get right on its own: awkward text, NULL apart from '', re-imports.
            let names = try await database.all(
                "SELECT name, code FROM repair_order_lines l JOIN repair_orders o ON o.id = l.repair_order_id WHERE o.order_no = 'RO3' ORDER BY line_no"
            ).map { (try $0.string("name"), try $0.string("code")) }
            #expect(names.map(\.0).prefix(2) == ["四轮定位\t(含\\调整)", "刹车片 \"原厂\"\n第二行"])
            #expect(names.map(\.1).prefix(2) == ["L\\01", ""])
            let waiting = try await database.all("SELECT name FROM import_pending_lines WHERE order_no = 'RO10'")
            #expect(try waiting.map { try $0.string("name") } == [#"\N"#])
            let open = try await database.all("SELECT closed_on FROM repair_orders WHERE order_no = 'RO8'")
            #expect(try open.map { try $0.optionalString("closed_on") } == [nil])
            // Re-imports change nothing, but for RO1's line 2, which the file gives twice: as in the row
            // writer, its second row updates the line the first one wrote.
            #expect(Self.total(recorded[5]) == ImportCounts(unchanged: 4))
            #expect(Self.total(recorded[8]) == ImportCounts(updated: 1, unchanged: 11))
            for engine in [DatabaseEngine.postgresql, .sqlite] {
                try await TestDatabase.with(engine) { legacy in
                    let replayed = try await Self.replay(recorded, on: legacy, storeId: storeId, now: now)
                    for (step, counts) in replayed.enumerated() {
                        #expect(counts == recorded[step].compactMap(\.counts), "step \(step) on \(engine)")
                    }
                    if engine == .postgresql { #expect(try await Self.dump(legacy) == copied) }
                }
            }
        }
    }

    /// Runs every step through the importer (so through the COPY path), keeping each file's batches.
    static func importAll(
        on database: Database, now: Date
    ) async throws -> (Int64, [[RecordingImportStore.Event]]) {
        let identity = SQLIdentityStore(database: database, now: { now })
        let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
        let scope = try await identity.scope(for: fixture.managerA, clientAddress: "t")
        let store = RecordingImportStore(inner: SQLImportStore(database: database, now: { now }))
        var recorded: [[RecordingImportStore.Event]] = []
        for step in steps {
            switch step {
            case .sql(let sql):
                try await database.run("\(unsafeRaw: sql)")
            case .file(let kind, let text):
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID().uuidString).csv")
                try Data(text.utf8).write(to: path)
                defer { try? FileManager.default.removeItem(at: path) }
                let file = try ImportFile.open(path: path.path, encoding: nil, sheet: nil)
                let request = ImportRequest(
                    storeId: fixture.storeA.id, kind: kind, fileName: "f.csv", fileSHA256: UUID().uuidString,
                    fileSize: Int64(text.utf8.count), format: .csv)
                let run = try await ImportRunner(store: store, batchSize: 3).run(
                    request, source: file.source, encoding: file.encoding, scope: scope)
                #expect(run.status == .done && run.counts.rejected == 0, "\(run)")
            }
            recorded.append(store.log.take())
        }
        return (fixture.storeA.id, recorded)
    }

    /// The same steps with the recorded batches written by the row writer; returns each step's counts.
    static func replay(
        _ recorded: [[RecordingImportStore.Event]], on database: Database, storeId: Int64, now: Date
    ) async throws -> [[ImportCounts]] {
        let identity = SQLIdentityStore(database: database, now: { now })
        _ = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
        let writer = RowWriter(storeId: storeId, at: now, engine: database.engine)
        var counts: [[ImportCounts]] = []
        for (step, events) in zip(steps, recorded) {
            if case .sql(let sql) = step { try await database.run("\(unsafeRaw: sql)") }
            var stepCounts: [ImportCounts] = []
            var lastKind = ImportKind.repairOrders
            for event in events {
                switch event {
                case .batch(let kind, let batch, _):
                    lastKind = kind
                    var written = try await database.transaction { db in
                        switch kind {
                        case .customers: try await writer.customers(batch.customers, on: db)
                        case .vehicles: try await writer.vehicles(batch.vehicles, on: db)
                        case .repairOrders, .lines:
                            try await writer.repairOrders(batch.repairOrders, kind: kind, on: db)
                        }
                    }
                    // Rows passed over unread (their orders' hashes kept) were unchanged where recorded.
                    written.unchanged += batch.unchangedRows
                    stepCounts.append(written)
                case .finish:
                    try await database.transaction { [lastKind] db in
                        try await writer.resolveAll(after: lastKind, on: db)
                    }
                }
            }
            counts.append(stepCounts)
        }
        return counts
    }

    static func total(_ events: [RecordingImportStore.Event]) -> ImportCounts {
        events.compactMap(\.counts).reduce(ImportCounts(), +)
    }

    /// Every column the import writes, with rows named by their DMS keys; NULL and '' print apart.
    static func dump(_ database: Database) async throws -> [String] {
        var lines: [String] = []
        for query: SQLQueryString in [
            """
            SELECT (o.id, o.order_no, v.vin, c.customer_no, u.login, o.advisor_name, o.type, o.opened_on, o.closed_on,
                o.mileage_in, o.labor_fen, o.parts_fen, o.total_fen, o.cost_fen, o.internal_comeback,
                o.external_comeback, o.customer_no, o.vin_ref, o.import_fp, o.created_at, o.updated_at)::text AS r
            FROM repair_orders o LEFT JOIN vehicles v ON v.id = o.vehicle_id
            LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = o.advisor_id
            """,
            """
            SELECT (o.order_no, l.line_no, l.kind, l.code, l.name, l.quantity, l.amount_fen, l.cost_fen, l.import_fp)::text AS r
            FROM repair_order_lines l JOIN repair_orders o ON o.id = l.repair_order_id
            """,
            """
            SELECT ('waiting', order_no, line_no, kind, code, name, quantity, amount_fen, cost_fen, import_fp)::text AS r
            FROM import_pending_lines
            """,
            "SELECT (vin, mileage_km, mileage_read_on, owner_customer_id IS NULL)::text AS r FROM vehicles",
        ] {
            lines += try await database.all(query + " ORDER BY 1").map { try $0.string("r") }
        }
        return lines
    }
}

extension RecordingImportStore.Event {
    var counts: ImportCounts? {
        if case .batch(_, _, let counts) = self { return counts }
        return nil
    }
}
