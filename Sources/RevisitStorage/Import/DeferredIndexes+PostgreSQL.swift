import Foundation
import SQLKit

/// A first load of repair orders into PostgreSQL leaves the orders' secondary indexes and the two tables'
/// foreign keys for its end, as SQLite leaves its indexes (see `DeferredIndexes`). A foreign key is
/// checked by a query per inserted row: at 10,000 lines a batch, the lines' two keys took 195 of the
/// 330 ms of the lines' statement and the orders' four keys 36 ms; added back at the end, each is
/// checked by one join over the whole table.
///
/// Only while `repair_orders` holds no rows at all, as on SQLite. Dropping a key locks both its tables
/// until the batch commits; a second store's first load then waits for it and finds the rows.
extension DeferredIndexes {
    static let repairOrderConstraints = [
        ("repair_orders", "repair_orders_store_id_fkey"), ("repair_orders", "repair_orders_advisor_id_fkey"),
        ("repair_orders", "repair_orders_store_id_customer_id_fkey"),
        ("repair_orders", "repair_orders_store_id_vehicle_id_fkey"),
        ("repair_order_lines", "repair_order_lines_store_id_fkey"),
        ("repair_order_lines", "repair_order_lines_store_id_repair_order_id_fkey"),
    ]

    /// Drops the orders' deferred indexes and the keys above when `repair_orders` is empty, inside the
    /// caller's transaction, writing down how to create each again.
    static func deferRepairOrdersIfEmpty(on db: any SQLDatabase) async throws {
        // Looked at without a lock first: the usual case, a store that has orders, takes none.
        guard try await db.raw("SELECT 1 AS one FROM repair_orders LIMIT 1").first() == nil else { return }
        // Writers wait from here; another first load that looked at the same moment finds the rows or
        // the indexes gone once this batch commits.
        try await db.raw("LOCK TABLE repair_orders IN SHARE ROW EXCLUSIVE MODE").run()
        guard try await db.raw("SELECT 1 AS one FROM repair_orders LIMIT 1").first() == nil else { return }
        for name in repairOrders {
            guard
                let row = try await db.raw(
                    """
                    SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = \(bind: name)
                    """
                ).first()
            else { continue }
            try await remember(name, try row.string("indexdef"), on: db)
            try await db.raw("DROP INDEX \(ident: name)").run()
        }
        for (table, name) in repairOrderConstraints {
            guard
                let row = try await db.raw(
                    """
                    SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
                    JOIN pg_class t ON t.oid = c.conrelid
                    WHERE c.conname = \(bind: name) AND t.relname = \(bind: table)
                        AND t.relnamespace = current_schema()::regnamespace
                    """
                ).first()
            else { continue }
            let create = "ALTER TABLE \(table) ADD CONSTRAINT \(name) \(try row.string("def"))"
            try await remember(name, create, on: db)
            try await db.raw("ALTER TABLE \(ident: table) DROP CONSTRAINT \(ident: name)").run()
        }
    }

    private static func remember(_ name: String, _ sql: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            "INSERT INTO deferred_indexes (name, sql) VALUES (\(bind: name), \(bind: sql)) ON CONFLICT (name) DO NOTHING"
        ).run()
    }
}
