import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import Testing

@testable import RevisitStorage

/// Re-importing an unchanged repair-order export skips reading the rows of orders stored with their rows'
/// hash (`import_src`). Whatever a sequence of files does, the counts and the rows must be exactly what
/// reading every row gives, on either engine.
@Suite struct UnchangedOrderTests {
    /// Passes everything to the real store, and either asks it for the stored hashes or never does
    /// (every row read, the way imports worked before), noting the rows it was told were unchanged.
    struct Store: ForwardingImportStore {
        let inner: SQLImportStore
        let skipping: Bool
        let passedOver = Tally()

        func apply(_ batch: ImportBatch, to run: ImportRun, scope: Scope) async throws -> ImportRun {
            passedOver.add(batch.unchangedRows)
            return try await inner.apply(batch, to: run, scope: scope)
        }

        func orderSources(storeId: Int64, scope: Scope) async throws -> OrderSources {
            skipping ? try await inner.orderSources(storeId: storeId, scope: scope) : OrderSources()
        }
    }

    static let header = "工单号,行号,开单日期,行驶里程,工单类型,客户号,项目类型,项目名称,金额"

    /// 30 orders of 3 lines each, the rows of an order together.
    static func orders(_ change: (Int, Int, inout [String]) -> Void = { _, _, _ in }) -> [[String]] {
        var rows: [[String]] = []
        for order in 1...30 {
            for line in 1...3 {
                var cells = [
                    "RO\(order)", "\(line)", "2024-03-\(10 + order % 15)", "\(40000 + order)", "定保", "KH\(order % 7)",
                    line == 1 ? "工时" : "配件", "项目\(line)", "\(order * 10 + line)",
                ]
                change(order, line, &cells)
                if !cells.isEmpty { rows.append(cells) }
            }
        }
        return rows
    }

    static func text(_ rows: [[String]], header: String = header) -> String {
        ([header] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    static let first = text(orders())
    /// A changed amount (RO5), a changed order field on the order's first row (RO9) and on a later row
    /// (RO10, which the first row decides), a bad row (RO12), RO20's third line moved to the end of the
    /// file with a new name, and a line number RO25 names twice.
    static let second: String = {
        var moved: [String] = []
        var rows = orders { order, line, cells in
            if order == 5 && line == 2 { cells[8] = "999" }
            if order == 9 && line == 1 { cells[3] = "50000" }
            if order == 10 && line == 2 { cells[3] = "50000" }
            if order == 12 && line == 3 { cells[2] = "不是日期" }
            if order == 20 && line == 3 {
                cells[7] = "后加项目"
                moved = cells
                cells = []
            }
            if order == 25 && line == 3 { cells[1] = "2" }
        }
        rows.append(moved)
        return text(rows)
    }()
    /// A lines file changing a line of RO3 and adding one to RO4.
    static let lines = """
        工单号,行号,项目类型,项目名称,金额
        RO3,1,工时,改过的项目,777
        RO4,9,配件,新项目,5

        """
    /// The first file with its columns in another order: the same orders, read through another mapping.
    static let reordered: String = {
        let order = [1, 0, 2, 3, 4, 5, 6, 7, 8]
        let headers = header.split(separator: ",").map(String.init)
        let rows = orders().map { cells in order.map { cells[$0] } }
        return text(rows, header: order.map { headers[$0] }.joined(separator: ","))
    }()

    /// Without line numbers, so lines are numbered in the order they come: once with RO7 given a fourth
    /// line at the end of the file, whose number counts the rows of RO7 passed over.
    static func unnumbered(extra: Bool) -> String {
        var rows = orders().map { cells in cells.enumerated().filter { $0.offset != 1 }.map(\.element) }
        if extra { rows.append(["RO7", "2024-03-17", "40007", "定保", "KH0", "配件", "补加项目", "5"]) }
        let headers = header.split(separator: ",").enumerated().filter { $0.offset != 1 }.map(\.element)
        return text(rows, header: headers.joined(separator: ","))
    }

    /// Orders and lines as stored, by DMS keys.
    static func rows(_ database: Database) async throws -> [String] {
        try await database.all(
            """
            SELECT o.order_no, o.opened_on, o.mileage_in, o.total_fen, o.labor_fen, o.parts_fen, l.line_no, l.name,
                l.amount_fen, l.kind
            FROM repair_orders o LEFT JOIN repair_order_lines l ON l.repair_order_id = o.id
            ORDER BY o.order_no, l.line_no
            """
        ).map { row in
            [
                try row.string("order_no"), try row.string("opened_on"), "\(try row.optionalInt64("mileage_in") ?? -1)",
                "\(try row.int64("total_fen"))", "\(try row.int64("labor_fen"))", "\(try row.int64("parts_fen"))",
                "\(try row.optionalInt64("line_no") ?? -1)", try row.optionalString("name") ?? "-",
                "\(try row.optionalInt64("amount_fen") ?? -1)", try row.optionalString("kind") ?? "-",
            ].joined(separator: " ")
        }
    }

    struct Step: Sendable, Equatable {
        let counts: ImportCounts
        let rows: [String]
    }

    /// Imports the files in turn into a fresh store; what each import counted and left behind, and how
    /// many rows were passed over unread in each.
    static func steps(
        _ engine: DatabaseEngine, skipping: Bool, _ files: [(String, ImportKind, Bool)]
    ) async throws -> ([Step], [Int]) {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let store = Store(inner: SQLImportStore(database: database, now: { Date() }), skipping: skipping)
            var steps: [Step] = []
            var passed: [Int] = []
            for (text, kind, dryRun) in files {
                let path = try ImportStoreTests.file(text)
                let run = try await Importer(store: store, batchSize: 7).run(
                    path: path, .init(storeId: fixture.storeA.id, kind: kind, fileName: "f.csv", dryRun: dryRun),
                    scope: .system)
                #expect(run.status == .done)
                steps.append(Step(counts: run.counts, rows: try await rows(database)))
                passed.append(store.passedOver.take())
            }
            return (steps, passed)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func unchangedOrdersAreSkippedAndEverythingEndsAsIfEveryRowWereRead(engine: DatabaseEngine) async throws {
        let files: [(String, ImportKind, Bool)] = [
            (Self.first, .repairOrders, false), (Self.first, .repairOrders, false), (Self.second, .repairOrders, true),
            (Self.second, .repairOrders, false), (Self.second, .repairOrders, false),
            (Self.first, .repairOrders, false),
            (Self.lines, .lines, false), (Self.first, .repairOrders, false), (Self.first, .repairOrders, false),
            (Self.reordered, .repairOrders, false), (Self.first, .repairOrders, false),
            (Self.first, .repairOrders, false),
            (Self.unnumbered(extra: false), .repairOrders, false), (Self.unnumbered(extra: true), .repairOrders, false),
        ]
        let (read, none) = try await Self.steps(engine, skipping: false, files)
        let (skipped, passed) = try await Self.steps(engine, skipping: true, files)
        #expect(none.allSatisfy { $0 == 0 })
        for index in files.indices {
            #expect(skipped[index] == read[index], "file \(index)")
        }
        #expect(read[1].counts == ImportCounts(read: 90, unchanged: 90))
        #expect(read[3].counts.rejected == 1 && read[3].counts.updated > 0)
        // The same file again is not read at all, and a changed one only for the orders whose rows
        // changed, or that something else changed since.
        #expect(passed[0] == 0 && passed[1] == 90)
        // The dry run wrote nothing, so the second file's orders are read when it comes for real.
        // Six orders changed: RO5, RO9, RO10, RO12, RO20 and RO25 (RO20's moved row is read too).
        #expect(passed[2] == 72 && passed[3] == 72)
        // Read again: RO12 (a bad row keeps no hash), RO20 (its moved row changed its lines after its first
        // rows were read; the moved row itself is never skipped), RO25 (a line named twice). RO5, RO9 and
        // RO10 were kept with the second file's hash.
        #expect(passed[4] == 90 - 3 - 3 - 3)
        // Back to the first file: the orders it changes are read. RO12 still holds the first file's lines
        // (its bad row changed nothing) and keeps the first file's hash.
        #expect(passed[5] == 90 - 5 * 3)
        // The lines file changed RO3 (read again and put back) and RO4 (read again, nothing to put back:
        // a line the export lacks stays).
        #expect(read[7].counts.updated == 1)
        #expect(passed[7] == 84 && passed[8] == 90)
        // Another mapping of the same cells reads every row, and so does the first mapping after it.
        #expect(passed[9] == 0 && passed[10] == 0 && passed[11] == 90)
        // Numbered by position: RO7's late line is its fourth even though its first three were not read.
        #expect(passed[12] == 0 && passed[13] == 90)
        #expect(read[13].counts == ImportCounts(read: 91, inserted: 1, unchanged: 90))
        #expect(read[13].rows.contains { $0.hasPrefix("RO7 ") && $0.contains(" 4 补加项目 ") })
    }

    @Test func theHashDependsOnTheCellsOfMappedColumnsAndTheMapping() {
        let mapping = ColumnMapping(kind: .repairOrders, headers: ["工单号", "开单日期", "备注"])
        let other = ColumnMapping(kind: .repairOrders, headers: ["开单日期", "工单号", "备注"])
        func hash(_ mapping: ColumnMapping, _ rows: [[String]]) -> UInt64 {
            var hash = OrderSourceHash(mapping: mapping)
            for cells in rows { hash.add(row: cells, columns: [0, 1]) }
            return hash.value
        }
        let rows = [["RO1", "2024-03-05", "x"], ["RO1", "2024-03-05", "y"]]
        #expect(hash(mapping, rows) == hash(mapping, rows))
        #expect(hash(mapping, rows) != hash(other, rows))
        #expect(hash(mapping, rows) != hash(mapping, [["RO1", "2024-03-06", "x"], ["RO1", "2024-03-05", "y"]]))
        // Cells do not run into each other, and a long cell's every word counts.
        #expect(hash(mapping, [["RO1", "2"]]) != hash(mapping, [["RO12", ""]]))
        #expect(hash(mapping, [["RO1", "一二三四五六七八九十"]]) != hash(mapping, [["RO1", "一二三四五六七八九百"]]))
        // One row is not two.
        #expect(hash(mapping, [["RO1", "a"]]) != hash(mapping, [["RO1", "a"], ["RO1", "a"]]))
    }
}
