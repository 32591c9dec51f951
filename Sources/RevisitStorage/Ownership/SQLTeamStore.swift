import Foundation
import RevisitCore
import SQLKit

/// A store's advisor teams (DOMAIN §4): who is in which (an advisor in one team at most; joining a team
/// leaves the old one), its leader, how many customers it owns as a team. A team that still owns
/// customers cannot be deleted: the manager moves them first, so no customer is left without an owner
/// by accident.
public struct SQLTeamStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    public func teams(storeId: Int64, scope: Scope) async throws -> [AdvisorTeam] {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        return try await database.withConnection { db in try await Self.teams(storeId: storeId, id: nil, on: db) }
    }

    public func team(id: Int64, scope: Scope) async throws -> AdvisorTeam {
        let rows = try await database.all(
            "SELECT store_id FROM advisor_teams t WHERE " + scope.storeFilter("t.store_id") + " AND t.id = \(bind: id)")
        guard let storeId = try rows.first?.int64("store_id") else { throw RevisitError.notFound() }
        return try await database.withConnection { db in
            guard let team = try await Self.teams(storeId: storeId, id: id, on: db).first else {
                throw RevisitError.notFound()
            }
            return team
        }
    }

    /// The team an advisor belongs to in a store, if any.
    public func teamOf(userId: Int64, storeId: Int64) async throws -> Int64? {
        try await database.all(
            """
            SELECT team_id FROM advisor_team_members WHERE store_id = \(bind: storeId) AND user_id = \(bind: userId)
            """
        ).first?.int64("team_id")
    }

    public func create(_ draft: TeamDraft, storeId: Int64, scope: Scope) async throws -> AdvisorTeam {
        try requireManager(storeId, scope)
        let at = now().epochMilliseconds
        let id = try await write { db in
            let valid = try await Self.validate(draft, storeId: storeId, on: db)
            let id =
                try await db.raw(
                    """
                    INSERT INTO advisor_teams (store_id, name, leader_id, created_at, updated_at)
                    VALUES (\(bind: storeId), \(bind: valid.name), \(bind: valid.leaderId), \(bind: at), \(bind: at))
                    RETURNING id
                    """
                ).first().map { try $0.int64("id") } ?? 0
            try await Self.setMembers(valid.memberIds, team: id, storeId: storeId, on: db)
            try await audit(.teamSaved, id, storeId, "created \(valid.name)", scope, on: db)
            return id
        }
        return try await team(id: id, scope: scope)
    }

    public func update(id: Int64, _ draft: TeamDraft, scope: Scope) async throws -> AdvisorTeam {
        let current = try await team(id: id, scope: scope)
        try requireManager(current.storeId, scope)
        let at = now().epochMilliseconds
        try await write { db in
            let valid = try await Self.validate(draft, storeId: current.storeId, on: db)
            try await db.raw(
                """
                UPDATE advisor_teams SET name = \(bind: valid.name), leader_id = \(bind: valid.leaderId),
                    updated_at = \(bind: at)
                WHERE store_id = \(bind: current.storeId) AND id = \(bind: id)
                """
            ).run()
            try await Self.setMembers(valid.memberIds, team: id, storeId: current.storeId, on: db)
            try await audit(.teamSaved, id, current.storeId, "updated \(valid.name)", scope, on: db)
        }
        return try await team(id: id, scope: scope)
    }

    /// Deletes a team that owns no customers; its reminders go back to no owner (its members keep
    /// their own).
    public func delete(id: Int64, scope: Scope) async throws {
        let current = try await team(id: id, scope: scope)
        try requireManager(current.storeId, scope)
        let storeId = current.storeId
        try await database.transaction { db in
            let owned =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM customers
                    WHERE store_id = \(bind: storeId) AND owner_team_id = \(bind: id) AND merged_into_id IS NULL
                    """
                ).first().map { try $0.int64("n") } ?? 0
            guard owned == 0 else {
                throw RevisitError(
                    .conflict, code: .teamHasCustomers, field: "team",
                    args: ["name": current.name, "count": String(owned)])
            }
            try await db.raw(
                "UPDATE reminders SET owner_team_id = NULL WHERE store_id = \(bind: storeId) AND owner_team_id = \(bind: id)"
            ).run()
            try await db.raw(
                "DELETE FROM advisor_team_members WHERE store_id = \(bind: storeId) AND team_id = \(bind: id)"
            ).run()
            try await db.raw("DELETE FROM advisor_teams WHERE store_id = \(bind: storeId) AND id = \(bind: id)").run()
            try await audit(.teamDeleted, id, storeId, "deleted \(current.name)", scope, on: db)
        }
    }

    func requireManager(_ storeId: Int64, _ scope: Scope) throws {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        guard scope.role.canRunSegments else { throw RevisitError(.forbidden, code: .forbidden) }
    }

    /// A unique team name per store is the one constraint a manager can trip over; it gets its own error.
    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await database.transaction(body)
        } catch let error where ConstraintViolation.isUnique(error) {
            throw RevisitError(.conflict, code: .duplicateName, field: "name")
        }
    }

    static func validate(_ draft: TeamDraft, storeId: Int64, on db: any SQLDatabase) async throws -> TeamDraft {
        try draft.validated(advisors: Set(try await SQLOwnershipStore.advisors(storeId: storeId, on: db).map(\.id)))
    }

    /// The members become exactly `members`; each leaves any other team of the store.
    static func setMembers(_ members: [Int64], team: Int64, storeId: Int64, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            DELETE FROM advisor_team_members WHERE store_id = \(bind: storeId)
                AND (team_id = \(bind: team) OR user_id IN (\(binds: members)))
            """
        ).run()
        try await BulkInsert.rows(
            "advisor_team_members", columns: ["store_id", "team_id", "user_id"],
            members.map { [storeId, team, $0] }, on: db)
    }

    static func teams(storeId: Int64, id: Int64?, on db: any SQLDatabase) async throws -> [AdvisorTeam] {
        var sql: SQLQueryString = """
            SELECT t.id, t.name, t.leader_id,
                (SELECT COUNT(*) FROM customers c WHERE c.store_id = t.store_id AND c.owner_team_id = t.id
                    AND c.merged_into_id IS NULL) AS customers
            FROM advisor_teams t WHERE t.store_id = \(bind: storeId)
            """
        if let id { sql += " AND t.id = \(bind: id)" }
        var teams = try await db.raw(sql + " ORDER BY t.name, t.id").all().map { row in
            AdvisorTeam(
                id: try row.int64("id"), storeId: storeId, name: try row.string("name"),
                leaderId: try row.optionalInt64("leader_id"), members: [],
                customers: Int(try row.int64("customers")))
        }
        var members: [Int64: [AdvisorTeam.Member]] = [:]
        for row in try await db.raw(
            """
            SELECT m.team_id, u.id, u.name FROM advisor_team_members m JOIN users u ON u.id = m.user_id
            WHERE m.store_id = \(bind: storeId) ORDER BY u.name, u.id
            """
        ).all() {
            members[try row.int64("team_id"), default: []].append(
                AdvisorTeam.Member(id: try row.int64("id"), name: try row.string("name")))
        }
        for index in teams.indices { teams[index].members = members[teams[index].id] ?? [] }
        return teams
    }

    private func audit(
        _ action: AuditAction, _ id: Int64, _ storeId: Int64, _ detail: String, _ scope: Scope,
        on db: any SQLDatabase
    ) async throws {
        try await AuditWriter.insert(
            AuditRecord(action: action, entityType: "team", entityId: String(id), storeId: storeId, detail: detail),
            actor: scope.actor, at: now(), on: db)
    }
}
