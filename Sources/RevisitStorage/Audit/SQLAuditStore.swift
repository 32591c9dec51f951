import Foundation
import RevisitCore
import SQLKit

public struct SQLAuditStore: AuditStore {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    public func append(_ record: AuditRecord, actor: AuditActor) async throws {
        let at = now()
        try await database.withConnection { db in
            try await AuditWriter.insert(record, actor: actor, at: at, on: db)
        }
    }

    public func entries(_ filter: AuditFilter, scope: Scope) async throws -> [AuditEntry] {
        try scope.requireAdmin()
        var query: SQLQueryString = "SELECT * FROM audit_log WHERE 1 = 1"
        if let action = filter.action, !action.isEmpty { query += " AND action = \(bind: action)" }
        if let login = filter.login, !login.isEmpty { query += " AND login = \(bind: login.lowercased())" }
        if let storeId = filter.storeId { query += " AND store_id = \(bind: storeId)" }
        if let from = filter.from { query += " AND at >= \(bind: from.epochMilliseconds)" }
        if let until = filter.until { query += " AND at < \(bind: until.epochMilliseconds)" }
        query += " ORDER BY at DESC, id DESC LIMIT \(bind: Int64(max(1, min(filter.limit, 1000))))"
        return try await database.all(query).map { row in
            AuditEntry(
                id: try row.int64("id"), at: try row.date("at"), userId: try row.optionalInt64("user_id"),
                login: try row.string("login"), storeId: try row.optionalInt64("store_id"),
                action: try row.string("action"), entityType: try row.string("entity_type"),
                entityId: try row.string("entity_id"), detail: try row.string("detail"),
                clientAddress: try row.string("client_address"))
        }
    }
}
