/// A line's own reference to its store is implied by its reference to its order (same store, and the
/// order references the store), yet PostgreSQL checked it once per line written: 37 of an import
/// batch's 290 ms (10,000 lines). SQLite cannot drop a constraint without copying the whole table into a
/// new one, so there the clause stays.
extension Migration {
    static let m0016LinesStoreKey = Migration(version: 16, name: "lines reach their store through their order") {
        ddl in
        ddl.engine == .postgresql
            ? ["ALTER TABLE repair_order_lines DROP CONSTRAINT IF EXISTS repair_order_lines_store_id_fkey"] : []
    }
}
