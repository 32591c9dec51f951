import Foundation
import RevisitCore
import SQLKit

/// Sessions, API tokens and login attempts on either engine.
public struct SQLAuthStore: AuthStore {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func createSession(
        userId: Int64, tokenHash: String, csrfToken: String, currentStoreId: Int64?, now: Date, clientAddress: String
    ) async throws -> SessionRecord {
        let rows = try await database.all(
            """
            INSERT INTO sessions (token_hash, user_id, csrf_token, current_store_id, client_address, created_at, last_seen_at)
            VALUES (\(bind: tokenHash), \(bind: userId), \(bind: csrfToken), \(bind: currentStoreId), \(bind: clientAddress),
                    \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            RETURNING id
            """)
        return SessionRecord(
            id: try rows[0].int64("id"), userId: userId, csrfToken: csrfToken, currentStoreId: currentStoreId,
            createdAt: now, lastSeenAt: now)
    }

    public func session(tokenHash: String) async throws -> (session: SessionRecord, user: User)? {
        try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT s.id AS session_id, s.csrf_token, s.current_store_id, s.created_at AS session_created_at,
                           s.last_seen_at, u.*
                    FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: tokenHash) AND u.active = 1
                    """
                ).first()
            else { return nil }
            let user = try await SQLIdentityStore.users(from: [row], on: db)[0]
            let session = SessionRecord(
                id: try row.int64("session_id"), userId: user.id, csrfToken: try row.string("csrf_token"),
                currentStoreId: try row.optionalInt64("current_store_id"),
                createdAt: try row.date("session_created_at"), lastSeenAt: try row.date("last_seen_at"))
            return (session, user)
        }
    }

    public func touchSession(id: Int64, now: Date) async throws {
        try await database.run(
            "UPDATE sessions SET last_seen_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)")
    }

    public func setSessionStore(id: Int64, storeId: Int64) async throws {
        try await database.run("UPDATE sessions SET current_store_id = \(bind: storeId) WHERE id = \(bind: id)")
    }

    public func deleteSession(id: Int64) async throws {
        try await database.run("DELETE FROM sessions WHERE id = \(bind: id)")
    }

    public func deleteExpiredSessions(idleBefore: Date, createdBefore: Date) async throws -> Int {
        let rows = try await database.all(
            """
            DELETE FROM sessions WHERE last_seen_at < \(bind: idleBefore.epochMilliseconds)
            OR created_at < \(bind: createdBefore.epochMilliseconds) RETURNING id
            """)
        return rows.count
    }

    public func createApiToken(
        userId: Int64, name: String, tokenHash: String, prefix: String, now: Date, scope: Scope
    ) async throws -> ApiToken {
        let name = try FieldRules.text(name, field: "name", max: 100)
        return try await database.transaction { db in
            let row = try await db.raw(
                """
                INSERT INTO api_tokens (user_id, name, token_hash, token_prefix, created_at)
                VALUES (\(bind: userId), \(bind: name), \(bind: tokenHash), \(bind: prefix), \(bind: now.epochMilliseconds))
                RETURNING id
                """
            ).first()
            let token = ApiToken(
                id: try row!.int64("id"), userId: userId, name: name, prefix: prefix, createdAt: now, lastUsedAt: nil,
                revokedAt: nil)
            try await AuditWriter.insert(
                AuditRecord(action: .tokenCreated, entityType: "api_token", entityId: String(token.id), detail: name),
                actor: scope.actor, at: now, on: db)
            return token
        }
    }

    public func apiTokens(userId: Int64) async throws -> [ApiToken] {
        try await database.all(
            "SELECT * FROM api_tokens WHERE user_id = \(bind: userId) ORDER BY created_at DESC, id DESC"
        ).map(Self.token)
    }

    public func revokeApiToken(id: Int64, userId: Int64, now: Date, scope: Scope) async throws {
        try await database.transaction { db in
            let rows = try await db.raw(
                """
                UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id) AND user_id = \(bind: userId) AND revoked_at IS NULL RETURNING id
                """
            ).all()
            guard !rows.isEmpty else { throw RevisitError.notFound() }
            try await AuditWriter.insert(
                AuditRecord(action: .tokenRevoked, entityType: "api_token", entityId: String(id)),
                actor: scope.actor, at: now, on: db)
        }
        database.identityCache.invalidate()
    }

    public func apiTokenUser(tokenHash: String, now: Date) async throws -> (token: ApiToken, user: User)? {
        let cache = database.identityCache
        if let hit = cache.token(hash: tokenHash) { return (hit.token, hit.user) }
        let generation = cache.generation
        let found: (ApiToken, User)? = try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT t.id AS token_id, t.name AS token_name, t.token_prefix, t.created_at AS token_created_at,
                           t.last_used_at, u.*
                    FROM api_tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.token_hash = \(bind: tokenHash) AND t.revoked_at IS NULL AND u.active = 1
                    """
                ).first()
            else { return nil }
            let user = try await SQLIdentityStore.users(from: [row], on: db)[0]
            let token = ApiToken(
                id: try row.int64("token_id"), userId: user.id, name: try row.string("token_name"),
                prefix: try row.string("token_prefix"), createdAt: try row.date("token_created_at"), lastUsedAt: now,
                revokedAt: nil)
            // Last use is kept to the minute so a busy integration does not write on every call.
            let lastUsed = try row.optionalDate("last_used_at")
            if lastUsed.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
                try await db.raw(
                    "UPDATE api_tokens SET last_used_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: token.id)"
                ).run()
            }
            return (token, user)
        }
        guard let (token, user) = found else { return nil }
        cache.store(token: token, user: user, hash: tokenHash, readAt: generation)
        return (token, user)
    }

    public func recordLoginAttempt(login: String, clientAddress: String, succeeded: Bool, at: Date) async throws {
        try await database.run(
            """
            INSERT INTO login_attempts (login, client_address, succeeded, at)
            VALUES (\(bind: login.lowercased()), \(bind: clientAddress), \(bind: succeeded.sqlInt), \(bind: at.epochMilliseconds))
            """)
    }

    public func failedLogins(login: String, since: Date) async throws -> [Date] {
        try await database.all(
            """
            SELECT at FROM login_attempts WHERE login = \(bind: login.lowercased()) AND succeeded = 0
            AND at >= \(bind: since.epochMilliseconds) ORDER BY at
            """
        ).map { try $0.date("at") }
    }

    public func failedLogins(clientAddress: String, since: Date) async throws -> [Date] {
        try await database.all(
            """
            SELECT at FROM login_attempts WHERE client_address = \(bind: clientAddress) AND succeeded = 0
            AND at >= \(bind: since.epochMilliseconds) ORDER BY at
            """
        ).map { try $0.date("at") }
    }

    public func deleteLoginAttempts(before: Date) async throws -> Int {
        try await database.all(
            "DELETE FROM login_attempts WHERE at < \(bind: before.epochMilliseconds) RETURNING id"
        ).count
    }

    static func token(_ row: any SQLRow) throws -> ApiToken {
        ApiToken(
            id: try row.int64("id"), userId: try row.int64("user_id"), name: try row.string("name"),
            prefix: try row.string("token_prefix"), createdAt: try row.date("created_at"),
            lastUsedAt: try row.optionalDate("last_used_at"), revokedAt: try row.optionalDate("revoked_at"))
    }
}
