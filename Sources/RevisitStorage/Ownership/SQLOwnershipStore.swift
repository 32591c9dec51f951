import Foundation
import RevisitCore
import SQLKit

/// Customer ownership by service advisors and advisor teams (DOMAIN §4): the store's assignment rules,
/// assigning the unowned, moving a leaving advisor's (or a team's) customers, and each customer's
/// history of owners.
public struct SQLOwnershipStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    func requireManager(_ storeId: Int64, _ scope: Scope) throws {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        guard scope.role.canRunSegments else { throw RevisitError(.forbidden, code: .forbidden) }
    }

    /// The store's active service advisors, by id: the ones customers can be given to.
    static func advisors(storeId: Int64, on db: any SQLDatabase) async throws -> [(id: Int64, name: String)] {
        try await db.raw(
            """
            SELECT u.id, u.name FROM users u JOIN user_stores us ON us.user_id = u.id
            WHERE us.store_id = \(bind: storeId) AND u.role = \(bind: Role.serviceAdvisor.rawValue) AND u.active = 1
            ORDER BY u.id
            """
        ).all().map { (try $0.int64("id"), try $0.string("name")) }
    }

    /// Customers per owner among the store's live customers.
    func load(storeId: Int64, on db: any SQLDatabase) async throws -> [CustomerOwner: Int] {
        var load: [CustomerOwner: Int] = [:]
        for row in try await db.raw(
            """
            SELECT owner_id, owner_team_id, COUNT(*) AS n FROM customers
            WHERE store_id = \(bind: storeId) AND merged_into_id IS NULL
                AND (owner_id IS NOT NULL OR owner_team_id IS NOT NULL)
            GROUP BY owner_id, owner_team_id
            """
        ).all() {
            let owner = CustomerOwner(
                advisorId: try row.optionalInt64("owner_id"), teamId: try row.optionalInt64("owner_team_id"))
            load[owner] = Int(try row.int64("n"))
        }
        return load
    }

    /// The store's teams and how many active members each has (a member who left no longer takes a share).
    static func teamSizes(storeId: Int64, on db: any SQLDatabase) async throws -> [Int64: Int] {
        var sizes: [Int64: Int] = [:]
        for row in try await db.raw(
            """
            SELECT t.id, COUNT(u.id) AS n FROM advisor_teams t
            LEFT JOIN advisor_team_members m ON m.store_id = t.store_id AND m.team_id = t.id
            LEFT JOIN users u ON u.id = m.user_id AND u.active = 1
            WHERE t.store_id = \(bind: storeId) GROUP BY t.id
            """
        ).all() {
            sizes[try row.int64("id")] = Int(try row.int64("n"))
        }
        return sizes
    }

    public func settings(storeId: Int64, scope: Scope) async throws -> AssignmentSettings {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        return try await StoreSettingsTable.load("assignment_settings", storeId: storeId, from: database)
            ?? AssignmentSettings()
    }

    public func saveSettings(_ settings: AssignmentSettings, storeId: Int64, scope: Scope) async throws {
        try requireManager(storeId, scope)
        try await database.transaction { db in
            let valid = try settings.validated(
                advisors: Set(try await Self.advisors(storeId: storeId, on: db).map(\.id)),
                teams: Set(try await Self.teamSizes(storeId: storeId, on: db).keys))
            try await StoreSettingsTable.save(valid, "assignment_settings", storeId: storeId, at: now(), on: db)
        }
    }

    /// Gives every unowned live customer of the store an owner by the store's rules (value class from the
    /// last segmentation run, brand of the newest vehicle). Returns customers assigned per owner.
    @discardableResult
    public func assignUnowned(storeId: Int64, reason: String, scope: Scope) async throws -> [CustomerOwner: Int] {
        try requireManager(storeId, scope)
        let settings = try await settings(storeId: storeId, scope: scope)
        return try await database.transaction { db in
            let unowned = try await db.raw(
                """
                SELECT c.id, s.value_class,
                    (SELECT v.brand FROM vehicles v WHERE v.store_id = c.store_id AND v.owner_customer_id = c.id
                        ORDER BY v.id DESC LIMIT 1) AS brand
                FROM customers c
                LEFT JOIN customer_segments s ON s.store_id = c.store_id AND s.customer_id = c.id
                WHERE c.store_id = \(bind: storeId) AND c.merged_into_id IS NULL AND c.owner_id IS NULL
                    AND c.owner_team_id IS NULL
                """
            ).all().map { row in
                UnownedCustomer(
                    customerId: try row.int64("id"),
                    valueClass: try row.optionalString("value_class").flatMap(ValueClass.init(rawValue:)),
                    brand: try row.optionalString("brand").flatMap { $0.isEmpty ? nil : $0 })
            }
            guard !unowned.isEmpty else { return [:] }
            let pairs = OwnerAssignment.assign(
                unowned, load: try await load(storeId: storeId, on: db),
                advisors: try await Self.advisors(storeId: storeId, on: db).map(\.id),
                teamSizes: try await Self.teamSizes(storeId: storeId, on: db), settings: settings)
            return try await move(
                pairs, storeId: storeId, reason: reason, action: .ownersAssigned, scope: scope, on: db)
        }
    }

    /// How an advisor's (or a team's) customers would spread over `targets` (each owner's new customers),
    /// before anything moves.
    public func previewReassign(
        storeId: Int64, from: CustomerOwner, to targets: [CustomerOwner], scope: Scope
    ) async throws
        -> [CustomerOwner: Int]
    {
        try requireManager(storeId, scope)
        return try await database.withConnection { db in
            let pairs = try await plan(storeId: storeId, from: from, to: targets, on: db)
            return pairs.reduce(into: [:]) { $0[$1.owner, default: 0] += 1 }
        }
    }

    /// Moves every customer of `from` to `targets`, evenly by their load per head; history and audit.
    @discardableResult
    public func reassign(
        storeId: Int64, from: CustomerOwner, to targets: [CustomerOwner], scope: Scope
    ) async throws
        -> [CustomerOwner: Int]
    {
        try requireManager(storeId, scope)
        return try await database.transaction { db in
            let pairs = try await plan(storeId: storeId, from: from, to: targets, on: db)
            return try await move(
                pairs, storeId: storeId, reason: "reassigned", action: .ownersReassigned, scope: scope, on: db)
        }
    }

    private func plan(
        storeId: Int64, from: CustomerOwner, to targets: [CustomerOwner], on db: any SQLDatabase
    ) async throws
        -> [(customerId: Int64, owner: CustomerOwner)]
    {
        let advisors = Set(try await Self.advisors(storeId: storeId, on: db).map(\.id))
        let sizes = try await Self.teamSizes(storeId: storeId, on: db)
        let chosen = targets.filter { $0 != from }
        let valid = chosen.allSatisfy { owner in
            if let id = owner.advisorId { return owner.teamId == nil && advisors.contains(id) }
            return owner.teamId.map { sizes[$0] != nil } ?? false
        }
        guard !chosen.isEmpty, valid else {
            throw RevisitError(.validation, code: .invalidValue, field: "to", args: ["field": "to"])
        }
        var sql: SQLQueryString = """
            SELECT id FROM customers WHERE store_id = \(bind: storeId) AND merged_into_id IS NULL
            """
        if let team = from.teamId {
            sql += " AND owner_team_id = \(bind: team)"
        } else if let advisor = from.advisorId {
            sql += " AND owner_id = \(bind: advisor)"
        } else {
            throw RevisitError(.validation, code: .required, field: "from")
        }
        let customers = try await db.raw(sql + " ORDER BY id").all().map { try $0.int64("id") }
        return OwnerAssignment.spread(
            customers, over: chosen, load: try await load(storeId: storeId, on: db), teamSizes: sizes)
    }

    /// Sets the owners, a statement per owner and a few hundred customers, with a history row each.
    func move(
        _ pairs: [(customerId: Int64, owner: CustomerOwner)], storeId: Int64, reason: String, action: AuditAction,
        scope: Scope, on db: any SQLDatabase
    ) async throws -> [CustomerOwner: Int] {
        guard !pairs.isEmpty else { return [:] }
        let at = now().epochMilliseconds
        var previous: [Int64: CustomerOwner] = [:]
        for chunk in stride(from: 0, to: pairs.count, by: 500).map({ pairs[$0..<min($0 + 500, pairs.count)] }) {
            for row in try await db.raw(
                """
                SELECT id, owner_id, owner_team_id FROM customers WHERE store_id = \(bind: storeId)
                    AND id IN (\(binds: chunk.map(\.customerId)))
                """
            ).all() {
                previous[try row.int64("id")] = CustomerOwner(
                    advisorId: try row.optionalInt64("owner_id"), teamId: try row.optionalInt64("owner_team_id"))
            }
        }
        let byOwner = Dictionary(grouping: pairs, by: \.owner)
        for (owner, group) in byOwner {
            for start in stride(from: 0, to: group.count, by: 500) {
                let ids = group[start..<min(start + 500, group.count)].map(\.customerId)
                try await db.raw(
                    """
                    UPDATE customers SET owner_id = \(bind: owner.advisorId), owner_team_id = \(bind: owner.teamId),
                        updated_at = \(bind: at)
                    WHERE store_id = \(bind: storeId) AND id IN (\(binds: ids))
                    """
                ).run()
            }
        }
        try await BulkInsert.rows(
            "customer_owner_history",
            columns: [
                "store_id", "customer_id", "from_owner_id", "to_owner_id", "from_team_id", "to_team_id", "reason", "at",
                "by_login",
            ],
            pairs.map { pair in
                let before = previous[pair.customerId] ?? CustomerOwner()
                return [
                    storeId, pair.customerId, before.advisorId, pair.owner.advisorId, before.teamId, pair.owner.teamId,
                    reason, at, scope.login,
                ]
            }, on: db)
        let counts = byOwner.mapValues(\.count)
        try await AuditWriter.insert(
            AuditRecord(
                action: action, entityType: "store", entityId: String(storeId), storeId: storeId,
                detail: "\(reason): "
                    + counts.map { "\($0.key.choice)=\($0.value)" }.sorted().joined(separator: " ")),
            actor: scope.actor, at: now(), on: db)
        return counts
    }

    /// A customer's owners over time, newest first.
    public func history(customerId: Int64, storeId: Int64, scope: Scope) async throws -> [OwnerChange] {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        return try await database.all(
            """
            SELECT from_owner_id, to_owner_id, from_team_id, to_team_id, reason, at, by_login
            FROM customer_owner_history
            WHERE store_id = \(bind: storeId) AND customer_id = \(bind: customerId) ORDER BY at DESC, id DESC
            """
        ).map { row in
            OwnerChange(
                fromOwnerId: try row.optionalInt64("from_owner_id"), toOwnerId: try row.optionalInt64("to_owner_id"),
                fromTeamId: try row.optionalInt64("from_team_id"), toTeamId: try row.optionalInt64("to_team_id"),
                reason: try row.string("reason"), at: try row.date("at"), by: try row.string("by_login"))
        }
    }
}
