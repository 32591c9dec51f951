/// Service-advisor teams (DOMAIN §4, the seeds' 接车小组): a store's advisors in named teams with a leader;
/// a customer is owned by one advisor or by one team, and a team's reminders are every member's tasks.
/// An advisor belongs to at most one team of a store (the members' primary key says so).
extension Migration {
    static let m0013AdvisorTeams = Migration(version: 13, name: "advisor teams") { ddl in
        [
            """
            CREATE TABLE advisor_teams (
                \(ddl.businessColumns),
                name TEXT NOT NULL,
                leader_id BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
                \(ddl.businessPrimaryKey)
            )
            """,
            "CREATE UNIQUE INDEX advisor_teams_name ON advisor_teams (store_id, name)",
            """
            CREATE TABLE advisor_team_members (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                team_id BIGINT NOT NULL,
                user_id BIGINT NOT NULL REFERENCES users(id),
                PRIMARY KEY (store_id, user_id),
                FOREIGN KEY (store_id, team_id) REFERENCES advisor_teams (store_id, id)
            )
            """,
            "CREATE INDEX advisor_team_members_team ON advisor_team_members (store_id, team_id)",
            // Either owner_id or owner_team_id is set, never both (the stores write it so).
            "ALTER TABLE customers ADD COLUMN owner_team_id BIGINT",
            "CREATE INDEX customers_owner_team ON customers (store_id, owner_team_id, id)",
            "ALTER TABLE reminders ADD COLUMN owner_team_id BIGINT",
            "CREATE INDEX reminders_owner_team ON reminders (store_id, owner_team_id, status, due_date)",
            "ALTER TABLE customer_owner_history ADD COLUMN from_team_id BIGINT",
            "ALTER TABLE customer_owner_history ADD COLUMN to_team_id BIGINT",
        ] + ddl.businessKeyIndex("advisor_teams")
    }
}
