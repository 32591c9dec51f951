import Foundation
import RevisitCore
import RevisitTestSupport
import SQLKit
import Testing

@testable import RevisitStorage

/// A first load of repair orders builds three indexes after its rows (and on PostgreSQL checks the orders'
/// and lines' foreign keys then); one killed half-way has them built at the next start, exactly as the
/// migrations made them.
extension ImportStoreTests {
    /// The orders' indexes, and on PostgreSQL the orders' and lines' indexes and constraints, as created.
    static func repairOrderIndexes(_ database: Database) async throws -> [String] {
        guard database.engine == .postgresql else {
            return try await database.all(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'repair_orders' ORDER BY name"
            ).map { "\(try $0.string("name")): \(try $0.optionalString("sql") ?? "")" }
        }
        return try await database.all(
            """
            SELECT indexname AS name, indexdef AS sql FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename IN ('repair_orders', 'repair_order_lines')
            UNION ALL
            SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relname IN ('repair_orders', 'repair_order_lines') AND t.relnamespace = current_schema()::regnamespace
            ORDER BY name, sql
            """
        ).map { "\(try $0.string("name")): \(try $0.string("sql"))" }
    }

    static let deferredOnFirstLoad: [DatabaseEngine: [String]] = [
        .sqlite: ["repair_orders_customer", "repair_orders_opened", "repair_orders_vehicle"],
        .postgresql: [
            "repair_order_lines_store_id_fkey", "repair_order_lines_store_id_repair_order_id_fkey",
            "repair_orders_advisor_id_fkey", "repair_orders_customer", "repair_orders_opened",
            "repair_orders_store_id_customer_id_fkey", "repair_orders_store_id_fkey",
            "repair_orders_store_id_vehicle_id_fkey", "repair_orders_vehicle",
        ],
    ]

    static func deferred(_ database: Database) async throws -> [String] {
        try await database.all("SELECT name FROM deferred_indexes ORDER BY name").map { try $0.string("name") }
    }

    @Test(arguments: TestDatabase.engines)
    func aFirstLoadBuildsItsIndexesAfterItsRowsAndAKilledOneAtTheNextStart(engine: DatabaseEngine) async throws {
        var text = "工单号,行号,开单日期,工单类型,客户号,项目类型,项目名称,金额\n"
        for order in 1...30 { text += "RO\(order),1,2024-03-\(10 + order % 15),定保,KH\(order % 7),工时,项目,\(order)\n" }
        let path = try Self.file(text)
        try await Self.withWorld(engine) { w in
            let before = try await Self.repairOrderIndexes(w.database)
            let request = ImportRequest(
                storeId: w.fixture.storeA.id, kind: .repairOrders, fileName: "ro.csv",
                fileSHA256: try Self.digest(path), fileSize: 0, format: .csv)
            await #expect(throws: DyingStore.Killed.self) {
                _ = try await ImportRunner(store: DyingStore(inner: w.store, batchesBeforeDeath: 2), batchSize: 7).run(
                    request, source: CSVReader(try UTF8Transcoder(FileByteSource(path: path))), encoding: "utf-8",
                    scope: w.manager)
            }
            let deferred = Self.deferredOnFirstLoad[engine]!
            #expect(try await Self.deferred(w.database) == deferred)
            #expect(try await Self.repairOrderIndexes(w.database).count == before.count - deferred.count)
            // The next start builds them before anything else runs.
            try await MigrationRunner(database: w.database, logger: TestDatabase.logger).run()
            #expect(try await Self.repairOrderIndexes(w.database) == before)
            #expect(try await Self.deferred(w.database).isEmpty)
            // The rest of the file lands, and a second load into a table with rows keeps the indexes.
            let resumed = try await run(w, path, .repairOrders, batchSize: 7)
            #expect(resumed.status == .done && resumed.counts.inserted == 30)
            #expect(try await Self.repairOrderIndexes(w.database) == before)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aCompleteFirstLoadEndsWithEveryIndex(engine: DatabaseEngine) async throws {
        try await Self.withWorld(engine) { w in
            let before = try await Self.repairOrderIndexes(w.database)
            let done = try await run(w, try Self.file(Self.orders), .repairOrders)
            #expect(done.status == .done)
            #expect(try await Self.repairOrderIndexes(w.database) == before)
            #expect(try await Self.deferred(w.database).isEmpty)
        }
    }
}
