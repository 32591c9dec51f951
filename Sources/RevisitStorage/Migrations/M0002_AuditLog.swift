/// The append-only audit log. Triggers refuse UPDATE and DELETE in the database itself, so no code
/// path, present or future, can rewrite history.
extension Migration {
    static let m0002AuditLog = Migration(version: 2, name: "audit_log") { ddl in
        var statements = [
            """
            CREATE TABLE audit_log (
                \(ddl.idPrimaryKey),
                at BIGINT NOT NULL,
                user_id BIGINT,
                login TEXT NOT NULL,
                store_id BIGINT,
                action TEXT NOT NULL,
                entity_type TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                detail TEXT NOT NULL,
                client_address TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_store ON audit_log (store_id, at)",
            "CREATE INDEX audit_log_at ON audit_log (at)",
            "CREATE INDEX audit_log_action ON audit_log (action, at)",
        ]
        switch ddl.engine {
        case .sqlite:
            statements += [
                """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """,
                """
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """,
            ]
        case .postgresql:
            statements += [
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """,
            ]
        }
        return statements
    }
}
