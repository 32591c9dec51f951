/// DMS imports: each run with its counts and progress (so a killed run can resume), every rejected row's
/// problem, saved column mappings per store, and SA names from files mapped to users.
///
/// Imported rows carry the fingerprint of what the file said (`import_fp`), so a re-import can tell an
/// unchanged row without comparing every column, and the DMS keys they point at (`*_customer_no`,
/// `vin_ref`), so a reference to a row that arrives later (another file, later in the same file)
/// resolves when it does. Lines whose repair order is not known yet wait in `import_pending_lines`.
extension Migration {
    static let m0004Imports = Migration(version: 4, name: "imports") { ddl in
        var statements: [String] = [
            "ALTER TABLE customers ADD COLUMN import_fp BIGINT",
            "ALTER TABLE vehicles ADD COLUMN import_fp BIGINT",
            "ALTER TABLE vehicles ADD COLUMN owner_customer_no TEXT",
            "ALTER TABLE repair_orders ADD COLUMN import_fp BIGINT",
            "ALTER TABLE repair_orders ADD COLUMN customer_no TEXT",
            "ALTER TABLE repair_orders ADD COLUMN vin_ref TEXT",
            "ALTER TABLE repair_order_lines ADD COLUMN import_fp BIGINT",
            "CREATE INDEX vehicles_owner_no ON vehicles (store_id, owner_customer_no)",
            "CREATE INDEX repair_orders_customer_no ON repair_orders (store_id, customer_no)",
            "CREATE INDEX repair_orders_vin_ref ON repair_orders (store_id, vin_ref)",
            """
            CREATE TABLE import_runs (
                \(ddl.businessColumns),
                kind TEXT NOT NULL,
                file_name TEXT NOT NULL,
                file_sha256 TEXT NOT NULL,
                file_size BIGINT NOT NULL,
                format TEXT NOT NULL,
                encoding TEXT NOT NULL DEFAULT '',
                mapping_name TEXT NOT NULL DEFAULT '',
                dry_run BIGINT NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                rows_read BIGINT NOT NULL DEFAULT 0,
                inserted BIGINT NOT NULL DEFAULT 0,
                updated BIGINT NOT NULL DEFAULT 0,
                unchanged BIGINT NOT NULL DEFAULT 0,
                rejected BIGINT NOT NULL DEFAULT 0,
                rows_done BIGINT NOT NULL DEFAULT 0,
                resumed_from BIGINT,
                message_code TEXT,
                message_args TEXT,
                user_id BIGINT,
                user_login TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX import_runs_started ON import_runs (store_id, started_at, id)",
            "CREATE INDEX import_runs_file ON import_runs (store_id, kind, file_sha256, status)",
            """
            CREATE TABLE import_problems (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                import_id BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                line BIGINT NOT NULL,
                column_name TEXT NOT NULL,
                code TEXT NOT NULL,
                args TEXT NOT NULL,
                PRIMARY KEY (store_id, import_id, seq),
                FOREIGN KEY (store_id, import_id) REFERENCES import_runs (store_id, id)
            )
            """,
            """
            CREATE TABLE import_mappings (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                fields TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (store_id, name)
            )
            """,
            """
            CREATE TABLE import_pending_lines (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                order_no TEXT NOT NULL,
                line_no BIGINT NOT NULL,
                kind TEXT NOT NULL,
                code TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity \(ddl.double) NOT NULL,
                amount_fen BIGINT NOT NULL,
                cost_fen BIGINT NOT NULL,
                import_fp BIGINT NOT NULL,
                PRIMARY KEY (store_id, order_no, line_no)
            )
            """,
            """
            CREATE TABLE advisor_aliases (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                name TEXT NOT NULL,
                user_id BIGINT NOT NULL REFERENCES users(id),
                PRIMARY KEY (store_id, name)
            )
            """,
        ]
        statements.insert(
            contentsOf: ddl.businessKeyIndex("import_runs"),
            at: statements.firstIndex { $0.contains("CREATE TABLE import_runs ") }! + 1)
        return statements
    }
}
