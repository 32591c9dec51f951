/// Reminders (DOMAIN §5): one row per rule, record and occasion, unique by its key so a second run of
/// the day (or a restart) creates nothing; the owning advisor's task and its outcome live on the row.
/// A reminder that speaks through a message leaves a pending item in `outbox_messages`, which the
/// messaging work sends. Each daily run is recorded, one daily run per store and day.
extension Migration {
    static let m0009Reminders = Migration(version: 9, name: "reminders") { ddl in
        [
            """
            CREATE TABLE reminders (
                \(ddl.businessColumns),
                reminder_key TEXT NOT NULL,
                type TEXT NOT NULL,
                customer_id BIGINT,
                vehicle_id BIGINT,
                owner_id BIGINT,
                due_date TEXT NOT NULL,
                created_on TEXT NOT NULL,
                convert_until TEXT NOT NULL,
                channel TEXT NOT NULL,
                reason TEXT NOT NULL,
                args TEXT NOT NULL,
                status TEXT NOT NULL,
                outcome TEXT,
                outcome_note TEXT NOT NULL DEFAULT '',
                outcome_at BIGINT,
                outcome_by TEXT,
                converted_order_id BIGINT,
                converted_on TEXT,
                created_at BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX reminders_unique_key ON reminders (store_id, reminder_key)",
            "CREATE INDEX reminders_owner ON reminders (store_id, owner_id, status, due_date)",
            "CREATE INDEX reminders_due ON reminders (store_id, due_date, id)",
            "CREATE INDEX reminders_customer ON reminders (store_id, customer_id)",
            "CREATE INDEX reminders_open ON reminders (store_id, status, convert_until)",
            """
            CREATE TABLE outbox_messages (
                \(ddl.businessColumns),
                customer_id BIGINT,
                source_type TEXT NOT NULL,
                source_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX outbox_messages_source ON outbox_messages (store_id, source_type, source_id)",
            """
            CREATE TABLE reminder_runs (
                \(ddl.businessColumns),
                as_of TEXT NOT NULL,
                trigger_kind TEXT NOT NULL,
                user_login TEXT NOT NULL DEFAULT '',
                created TEXT NOT NULL,
                already_existing BIGINT NOT NULL,
                converted BIGINT NOT NULL,
                started_at BIGINT NOT NULL,
                duration_ms BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX reminder_runs_daily ON reminder_runs (store_id, as_of) WHERE trigger_kind = 'daily'",
            """
            CREATE TABLE reminder_settings (
                store_id BIGINT NOT NULL PRIMARY KEY REFERENCES stores(id),
                settings TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]
            + ddl.businessKeyIndex("reminders") + ddl.businessKeyIndex("outbox_messages")
            + ddl.businessKeyIndex("reminder_runs")
    }
}
