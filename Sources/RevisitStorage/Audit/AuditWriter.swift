import Foundation
import RevisitCore
import SQLKit

/// Writes one audit line on the connection it is given, so a change and its audit line commit together.
enum AuditWriter {
    static func insert(_ record: AuditRecord, actor: AuditActor, at: Date, on db: any SQLDatabase) async throws {
        let insert = statement(record, actor: actor, at: at)
        try await db.raw(SQLQueryString(insert.sql, binds: insert.binds)).run()
    }

    /// The INSERT with `?` placeholders, for SQLKit above and SQLite's direct connection.
    static func statement(_ record: AuditRecord, actor: AuditActor, at: Date) -> (sql: String, binds: [SQLScalar]) {
        (
            """
            INSERT INTO audit_log (at, user_id, login, store_id, action, entity_type, entity_id, detail, client_address)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .int(at.epochMilliseconds), .of(actor.userId), .string(actor.login), .of(record.storeId),
                .string(record.action.rawValue), .string(record.entityType), .string(record.entityId),
                .string(record.detail), .string(actor.clientAddress),
            ]
        )
    }
}
