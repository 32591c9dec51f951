import Foundation
import RevisitCore
import SQLKit

/// Groups, stores and users on either engine.
public struct SQLIdentityStore: IdentityStore {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    public func credentials(login: String) async throws -> (user: User, passwordHash: String)? {
        let normalized = login.trimmingCharacters(in: .whitespaces).lowercased()
        return try await database.withConnection { db in
            guard let row = try await db.raw("SELECT * FROM users WHERE login = \(bind: normalized)").first() else {
                return nil
            }
            let users = try await Self.users(from: [row], on: db)
            return (users[0], try row.string("password_hash"))
        }
    }

    public func scope(for user: User, clientAddress: String) async throws -> Scope {
        let ids: [Int64]
        switch user.role {
        case .admin: ids = try await cachedStoreIds(key: "admin", "SELECT id FROM stores")
        case .groupAnalyst:
            let group = user.groupId ?? -1
            ids = try await cachedStoreIds(
                key: "group:\(group)", "SELECT id FROM stores WHERE group_id = \(bind: group)")
        // Store roles carry their stores already (loaded with the user), which saves a query per request.
        default: ids = user.storeIds
        }
        return Scope(
            userId: user.id, login: user.login, role: user.role, storeIds: Set(ids), clientAddress: clientAddress)
    }

    /// Cross-store roles see every store (or every store of their group); asked once per cache lifetime.
    private func cachedStoreIds(key: String, _ query: SQLQueryString) async throws -> [Int64] {
        let cache = database.identityCache
        if let ids = cache.storeIds(key: key) { return ids }
        let generation = cache.generation
        let ids = try await database.all(query).map { try $0.int64("id") }
        cache.store(storeIds: ids, key: key, readAt: generation)
        return ids
    }

    public func activeAdministratorCount() async throws -> Int {
        let rows = try await database.all("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND active = 1")
        return Int(try rows.first?.int64("n") ?? 0)
    }

    /// Maps user rows and fetches their store assignments in one more query.
    static func users(from rows: [any SQLRow], on db: any SQLDatabase) async throws -> [User] {
        let ids = try rows.map { try $0.int64("id") }
        var storesByUser: [Int64: [Int64]] = [:]
        if !ids.isEmpty {
            let links = try await db.raw(
                "SELECT user_id, store_id FROM user_stores WHERE user_id IN (\(binds: ids)) ORDER BY store_id"
            ).all()
            for link in links {
                storesByUser[try link.int64("user_id"), default: []].append(try link.int64("store_id"))
            }
        }
        return try rows.map { row in
            let id = try row.int64("id")
            return User(
                id: id, login: try row.string("login"), name: try row.string("name"),
                role: Role(rawValue: try row.string("role")) ?? .serviceAdvisor,
                groupId: try row.optionalInt64("group_id"), storeIds: storesByUser[id] ?? [],
                language: Language(rawValue: try row.string("language")) ?? .default, active: try row.bool("active"))
        }
    }

    /// Runs a change in a transaction, turning a unique-key race into the same 409 a checked duplicate gets.
    func write<T: Sendable>(
        duplicate: ErrorCode, field: String, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            let result = try await database.transaction(body)
            database.identityCache.invalidate()
            return result
        } catch let error where ConstraintViolation.isUnique(error) {
            throw RevisitError(.conflict, code: duplicate, field: field)
        }
    }
}
