/// Groups, stores, users and what lets them in: sessions, API tokens, login attempts.
/// These are the tenancy tables themselves; business tables added later lead with store_id.
extension Migration {
    static let m0001Identity = Migration(version: 1, name: "identity") { ddl in
        [
            """
            CREATE TABLE groups (
                \(ddl.idPrimaryKey),
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE stores (
                \(ddl.idPrimaryKey),
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                group_id BIGINT REFERENCES groups(id),
                time_zone TEXT NOT NULL,
                phone TEXT NOT NULL DEFAULT '',
                active BIGINT NOT NULL DEFAULT 1,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX stores_group ON stores (group_id)",
            """
            CREATE TABLE users (
                \(ddl.idPrimaryKey),
                login TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                group_id BIGINT REFERENCES groups(id),
                password_hash TEXT NOT NULL,
                language TEXT NOT NULL DEFAULT 'zh-CN',
                active BIGINT NOT NULL DEFAULT 1,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE user_stores (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                PRIMARY KEY (store_id, user_id)
            )
            """,
            "CREATE INDEX user_stores_user ON user_stores (user_id, store_id)",
            """
            CREATE TABLE sessions (
                \(ddl.idPrimaryKey),
                token_hash TEXT NOT NULL UNIQUE,
                user_id BIGINT NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL,
                current_store_id BIGINT REFERENCES stores(id),
                client_address TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            "CREATE INDEX sessions_last_seen ON sessions (last_seen_at)",
            """
            CREATE TABLE api_tokens (
                \(ddl.idPrimaryKey),
                user_id BIGINT NOT NULL REFERENCES users(id),
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                token_prefix TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
            """
            CREATE TABLE login_attempts (
                \(ddl.idPrimaryKey),
                login TEXT NOT NULL,
                client_address TEXT NOT NULL,
                succeeded BIGINT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX login_attempts_login ON login_attempts (login, at)",
            "CREATE INDEX login_attempts_address ON login_attempts (client_address, at)",
        ]
    }
}
