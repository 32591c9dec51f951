/// Messaging (DOMAIN §6). The outbox that reminders already fill grows the columns a worker needs: the
/// rendered text and number, tries, the lease, the provider's id and receipt, and the reason of a refusal.
///
/// The worker's queue index (`outbox_messages_due`) does not lead with store_id, against the house rule:
/// workers claim the oldest due messages of every store at once, and a per-store index would make each
/// claim a scan over all stores. Sharded by store, it is a per-shard index the claim query fans out over.
extension Migration {
    static let m0012Messaging = Migration(version: 12, name: "messaging") { ddl in
        [
            "ALTER TABLE outbox_messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms'",
            "ALTER TABLE outbox_messages ADD COLUMN phone TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE outbox_messages ADD COLUMN body TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE outbox_messages ADD COLUMN template_id BIGINT",
            "ALTER TABLE outbox_messages ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE outbox_messages ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE outbox_messages ADD COLUMN lease_until BIGINT",
            "ALTER TABLE outbox_messages ADD COLUMN claimed_by TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN refusal TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN last_error TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN provider TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN provider_message_id TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN receipt_status TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN submitted_at BIGINT",
            "ALTER TABLE outbox_messages ADD COLUMN delivered_at BIGINT",
            "ALTER TABLE outbox_messages ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0",
            // A bulk send has one message per customer; a reminder one per reminder.
            "DROP INDEX outbox_messages_source",
            "CREATE UNIQUE INDEX outbox_messages_source ON outbox_messages (store_id, source_type, source_id, customer_id)",
            "CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at)",
            "CREATE INDEX outbox_messages_provider_id ON outbox_messages (provider_message_id)",
            "CREATE INDEX outbox_messages_list ON outbox_messages (store_id, status, id)",
            "CREATE INDEX outbox_messages_customer ON outbox_messages (store_id, customer_id, created_at)",
            "CREATE INDEX outbox_messages_phone ON outbox_messages (store_id, phone)",
            // Service messages follow their own consent, given unless the customer said otherwise.
            "ALTER TABLE customers ADD COLUMN consent_service BIGINT NOT NULL DEFAULT 1",
            """
            CREATE TABLE message_templates (
                \(ddl.businessColumns),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                channel TEXT NOT NULL,
                language TEXT NOT NULL,
                purpose TEXT,
                body TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX message_templates_name ON message_templates (store_id, name)",
            """
            CREATE TABLE message_opt_outs (
                \(ddl.businessColumns),
                phone TEXT NOT NULL,
                source TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX message_opt_outs_phone ON message_opt_outs (store_id, phone)",
            """
            CREATE TABLE inbound_messages (
                \(ddl.businessColumns),
                phone TEXT NOT NULL,
                text TEXT NOT NULL,
                provider_message_id TEXT,
                opt_out BIGINT NOT NULL,
                received_at BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX inbound_messages_received ON inbound_messages (store_id, received_at)",
            """
            CREATE TABLE bulk_sends (
                \(ddl.businessColumns),
                template_id BIGINT NOT NULL,
                template_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                filters TEXT NOT NULL,
                status TEXT NOT NULL,
                candidates BIGINT NOT NULL,
                excluded TEXT NOT NULL,
                recipients BIGINT NOT NULL,
                sample TEXT NOT NULL,
                parts BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                decided_by TEXT,
                decided_at BIGINT
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX bulk_sends_store ON bulk_sends (store_id, id)",
            """
            CREATE TABLE messaging_settings (
                store_id BIGINT NOT NULL PRIMARY KEY REFERENCES stores(id),
                settings TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]
            // Receipts and pages find a message by its id alone (the idempotency key has no store); SQLite's
            // id is the rowid already.
            + (ddl.engine == .postgresql ? ["CREATE INDEX outbox_messages_id ON outbox_messages (id)"] : [])
            + ddl.businessKeyIndex("message_templates") + ddl.businessKeyIndex("message_opt_outs")
            + ddl.businessKeyIndex("inbound_messages") + ddl.businessKeyIndex("bulk_sends")
    }
}
