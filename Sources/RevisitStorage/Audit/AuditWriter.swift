import Foundation
import RevisitCore
import SQLKit

/// Writes one audit line on the connection it is given, so a change and its audit line commit together.
enum AuditWriter {
    static func insert(_ record: AuditRecord, actor: AuditActor, at: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO audit_log (at, user_id, login, store_id, action, entity_type, entity_id, detail, client_address)
            VALUES (\(bind: at.epochMilliseconds), \(bind: actor.userId), \(bind: actor.login), \(bind: record.storeId),
                    \(bind: record.action.rawValue), \(bind: record.entityType), \(bind: record.entityId),
                    \(bind: record.detail), \(bind: actor.clientAddress))
            """
        ).run()
    }
}
