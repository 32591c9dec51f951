import Foundation
import SQLKit

/// A first load of repair orders into SQLite builds three of their indexes after its rows rather than
/// row by row: keyed by customer, vehicle and open date, each of the 285,000 orders of the benchmark file
/// went to a random place in each of them, 2.3 s of an 8.5 s import; built once at the end, from sorted
/// keys, they take 0.6 s. Only when the table holds no rows at all (a new installation's
/// history load): then nothing else reads them, and no other store's lists slow down meanwhile.
///
/// Each dropped index is written down with its `CREATE` statement in the same transaction, so the load
/// that dropped it, or the next start after one that was killed, builds it again exactly as it was.
enum DeferredIndexes {
    static let repairOrders = ["repair_orders_customer", "repair_orders_vehicle", "repair_orders_opened"]

    /// Drops `names` when `table` is empty, inside the caller's transaction.
    static func deferIfEmpty(_ table: String, _ names: [String], on db: SQLiteReader.Connection) throws {
        var empty = true
        try db.rows("SELECT 1 FROM \(table) LIMIT 1", []) { _ in empty = false }
        guard empty else { return }
        for name in names {
            var sql: String?
            try db.rows("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [.string(name)]) {
                sql = try $0.string(0)
            }
            guard let sql else { continue }
            try db.run("INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)", [.string(name), .string(sql)])
            try db.run("DROP INDEX \(name)")
        }
    }

    /// Builds every index a load left for later.
    static func rebuild(on db: any SQLDatabase) async throws {
        for row in try await db.raw("SELECT name, sql FROM deferred_indexes ORDER BY name").all() {
            let name = try row.string("name")
            try await db.raw("\(unsafeRaw: try row.string("sql"))").run()
            try await db.raw("DELETE FROM deferred_indexes WHERE name = \(bind: name)").run()
        }
    }

    /// At start-up, before migrations (which may change these indexes): a load killed before its end left
    /// them dropped.
    static func rebuildLeftovers(_ database: Database) async throws {
        let query: SQLQueryString =
            database.engine == .sqlite
            ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deferred_indexes'"
            : "SELECT 1 WHERE to_regclass('deferred_indexes') IS NOT NULL"
        let exists = try await database.all(query)
        guard !exists.isEmpty else { return }
        try await database.transaction { db in try await rebuild(on: db) }
    }
}
