/// Who owned a customer when (DOMAIN §4): every change of owner, by an assignment run, a reassignment
/// when an advisor leaves, or an edit, with who did it; and each store's assignment rules.
extension Migration {
    static let m0010Ownership = Migration(version: 10, name: "ownership") { ddl in
        [
            """
            CREATE TABLE customer_owner_history (
                \(ddl.businessColumns),
                customer_id BIGINT NOT NULL,
                from_owner_id BIGINT,
                to_owner_id BIGINT,
                reason TEXT NOT NULL,
                at BIGINT NOT NULL,
                by_login TEXT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE INDEX customer_owner_history_customer ON customer_owner_history (store_id, customer_id, at)",
            """
            CREATE TABLE assignment_settings (
                store_id BIGINT NOT NULL PRIMARY KEY REFERENCES stores(id),
                settings TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ] + ddl.businessKeyIndex("customer_owner_history")
    }
}
