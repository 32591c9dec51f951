import Foundation
import RevisitCore
import SQLKit

extension SQLIdentityStore {
    /// Administrators see everyone; others see the users who share one of their stores.
    func visibleUsers(_ scope: Scope) -> SQLQueryString {
        if scope.isAdmin { return "1 = 1" }
        return "EXISTS (SELECT 1 FROM user_stores us WHERE us.user_id = users.id AND "
            + scope.storeFilter("us.store_id") + ")"
    }

    public func users(scope: Scope) async throws -> [User] {
        try await database.withConnection { db in
            let rows = try await db.raw("SELECT * FROM users WHERE " + visibleUsers(scope) + " ORDER BY login").all()
            return try await Self.users(from: rows, on: db)
        }
    }

    public func users(inStore storeId: Int64, scope: Scope) async throws -> [User] {
        _ = try await store(id: storeId, scope: scope)
        return try await database.withConnection { db in
            let rows = try await db.raw(
                """
                SELECT * FROM users WHERE EXISTS (SELECT 1 FROM user_stores us
                WHERE us.user_id = users.id AND us.store_id = \(bind: storeId)) ORDER BY login
                """
            ).all()
            return try await Self.users(from: rows, on: db)
        }
    }

    public func user(id: Int64, scope: Scope) async throws -> User {
        try await database.withConnection { db in
            let rows = try await db.raw(
                "SELECT * FROM users WHERE id = \(bind: id) AND " + visibleUsers(scope)
            ).all()
            guard !rows.isEmpty else { throw RevisitError.notFound() }
            return try await Self.users(from: rows, on: db)[0]
        }
    }

    public func createUser(_ draft: UserDraft, passwordHash: String, scope: Scope) async throws -> User {
        try scope.requireAdmin()
        let draft = try draft.validated()
        let at = now()
        return try await write(duplicate: .duplicateLogin, field: "login") { db in
            try await Self.checkUserDraft(draft, except: nil, on: db)
            let row = try await db.raw(
                """
                INSERT INTO users (login, name, role, group_id, password_hash, language, active, created_at, updated_at)
                VALUES (\(bind: draft.login), \(bind: draft.name), \(bind: draft.role.rawValue), \(bind: draft.groupId),
                        \(bind: passwordHash), \(bind: draft.language.rawValue), 1, \(bind: at.epochMilliseconds),
                        \(bind: at.epochMilliseconds))
                RETURNING id
                """
            ).first()
            let id = try row!.int64("id")
            try await Self.replaceStores(userId: id, storeIds: draft.storeIds, on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .userCreated, entityType: "user", entityId: String(id),
                    detail: "\(draft.login) \(draft.role.rawValue)"),
                actor: scope.actor, at: at, on: db)
            return User(
                id: id, login: draft.login, name: draft.name, role: draft.role, groupId: draft.groupId,
                storeIds: draft.storeIds, language: draft.language, active: true)
        }
    }

    public func updateUser(id: Int64, _ draft: UserDraft, scope: Scope) async throws -> User {
        try scope.requireAdmin()
        let draft = try draft.validated()
        let at = now()
        return try await write(duplicate: .duplicateLogin, field: "login") { db in
            guard let row = try await db.raw("SELECT active FROM users WHERE id = \(bind: id)").first() else {
                throw RevisitError.notFound()
            }
            try await Self.checkUserDraft(draft, except: id, on: db)
            try await db.raw(
                """
                UPDATE users SET login = \(bind: draft.login), name = \(bind: draft.name), role = \(bind: draft.role.rawValue),
                group_id = \(bind: draft.groupId), language = \(bind: draft.language.rawValue),
                updated_at = \(bind: at.epochMilliseconds) WHERE id = \(bind: id)
                """
            ).run()
            try await Self.replaceStores(userId: id, storeIds: draft.storeIds, on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .userUpdated, entityType: "user", entityId: String(id),
                    detail:
                        "\(draft.login) \(draft.role.rawValue) stores=\(draft.storeIds.map(String.init).joined(separator: ","))"
                ),
                actor: scope.actor, at: at, on: db)
            return User(
                id: id, login: draft.login, name: draft.name, role: draft.role, groupId: draft.groupId,
                storeIds: draft.storeIds, language: draft.language, active: try row.bool("active"))
        }
    }

    public func setPassword(userId: Int64, passwordHash: String, endSessions: Bool, scope: Scope) async throws {
        let ownChange = scope.userId == userId
        if !ownChange { try scope.requireAdmin() }
        let at = now()
        try await database.transaction { db in
            guard try await db.raw("SELECT id FROM users WHERE id = \(bind: userId)").first() != nil else {
                throw RevisitError.notFound()
            }
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: passwordHash), updated_at = \(bind: at.epochMilliseconds)
                WHERE id = \(bind: userId)
                """
            ).run()
            if endSessions { try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userId)").run() }
            try await AuditWriter.insert(
                AuditRecord(
                    action: ownChange ? .userPasswordChanged : .userPasswordReset, entityType: "user",
                    entityId: String(userId)),
                actor: scope.actor, at: at, on: db)
        }
        database.identityCache.invalidate()
    }

    public func setActive(userId: Int64, active: Bool, scope: Scope) async throws -> User {
        try scope.requireAdmin()
        if !active && scope.userId == userId {
            throw RevisitError(.conflict, code: .cannotDeactivateSelf)
        }
        let at = now()
        try await database.transaction { db in
            guard try await db.raw("SELECT id FROM users WHERE id = \(bind: userId)").first() != nil else {
                throw RevisitError.notFound()
            }
            try await db.raw(
                """
                UPDATE users SET active = \(bind: active.sqlInt), updated_at = \(bind: at.epochMilliseconds)
                WHERE id = \(bind: userId)
                """
            ).run()
            // Deactivation ends the user's sessions at once, in the same transaction.
            if !active { try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userId)").run() }
            try await AuditWriter.insert(
                AuditRecord(
                    action: active ? .userActivated : .userDeactivated, entityType: "user", entityId: String(userId)),
                actor: scope.actor, at: at, on: db)
        }
        database.identityCache.invalidate()
        return try await user(id: userId, scope: scope)
    }

    public func setLanguage(userId: Int64, language: Language, scope: Scope) async throws {
        if scope.userId != userId { try scope.requireAdmin() }
        try await database.run(
            "UPDATE users SET language = \(bind: language.rawValue) WHERE id = \(bind: userId)")
        database.identityCache.invalidate()
    }

    static func checkUserDraft(_ draft: UserDraft, except id: Int64?, on db: any SQLDatabase) async throws {
        if let existing = try await db.raw("SELECT id FROM users WHERE login = \(bind: draft.login)").first(),
            try existing.int64("id") != id
        {
            throw RevisitError(.conflict, code: .duplicateLogin, field: "login", args: ["value": draft.login])
        }
        if let groupId = draft.groupId,
            try await db.raw("SELECT id FROM groups WHERE id = \(bind: groupId)").first() == nil
        {
            throw RevisitError(.validation, code: .unknownGroup, field: "group", args: ["value": String(groupId)])
        }
        if !draft.storeIds.isEmpty {
            let found = try await db.raw("SELECT id FROM stores WHERE id IN (\(binds: draft.storeIds))").all()
            let foundIds = Set(try found.map { try $0.int64("id") })
            if let missing = draft.storeIds.first(where: { !foundIds.contains($0) }) {
                throw RevisitError(.validation, code: .unknownStore, field: "stores", args: ["value": String(missing)])
            }
        }
    }

    static func replaceStores(userId: Int64, storeIds: [Int64], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM user_stores WHERE user_id = \(bind: userId)").run()
        try await BulkInsert.rows(
            "user_stores", columns: ["store_id", "user_id"], storeIds.map { [$0, userId] }, on: db)
    }
}
