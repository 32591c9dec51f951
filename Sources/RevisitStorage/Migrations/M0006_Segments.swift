/// Customer segments (DOMAIN §3): each customer's classes from the last run, one row per customer of a
/// store so lists filter and sort on them; every run with its counts; the movements between classes
/// (only customers whose value class or churn stage changed, so the history stays small); and a store's
/// thresholds when they differ from DOMAIN's.
extension Migration {
    static let m0006Segments = Migration(version: 6, name: "segments") { ddl in
        [
            """
            CREATE TABLE segment_runs (
                \(ddl.businessColumns),
                as_of TEXT NOT NULL,
                trigger_kind TEXT NOT NULL,
                user_login TEXT NOT NULL DEFAULT '',
                customers BIGINT NOT NULL,
                moved BIGINT NOT NULL,
                counts TEXT NOT NULL,
                settings TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                duration_ms BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX segment_runs_recent ON segment_runs (store_id, started_at, id)",
            """
            CREATE TABLE customer_segments (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                customer_id BIGINT NOT NULL,
                run_id BIGINT NOT NULL,
                as_of TEXT NOT NULL,
                value_class TEXT NOT NULL,
                quadrant TEXT NOT NULL,
                rfm_r BIGINT NOT NULL,
                rfm_f BIGINT NOT NULL,
                rfm_m BIGINT NOT NULL,
                churn_stage TEXT NOT NULL,
                PRIMARY KEY (store_id, customer_id)
            )
            """,
            "CREATE INDEX customer_segments_value ON customer_segments (store_id, value_class)",
            "CREATE INDEX customer_segments_quadrant ON customer_segments (store_id, quadrant)",
            "CREATE INDEX customer_segments_stage ON customer_segments (store_id, churn_stage)",
            """
            CREATE TABLE segment_moves (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                run_id BIGINT NOT NULL,
                customer_id BIGINT NOT NULL,
                from_value TEXT,
                to_value TEXT NOT NULL,
                from_stage TEXT,
                to_stage TEXT NOT NULL,
                PRIMARY KEY (store_id, run_id, customer_id)
            )
            """,
            "CREATE INDEX segment_moves_customer ON segment_moves (store_id, customer_id, run_id)",
            """
            CREATE TABLE segment_settings (
                store_id BIGINT NOT NULL PRIMARY KEY REFERENCES stores(id),
                settings TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]
    }
}
