import Foundation
import RevisitCore
import SQLKit

extension SQLImportStore {
    public func unlinkedAdvisors(storeId: Int64, scope: Scope) async throws -> [UnlinkedAdvisor] {
        try Self.requireImporter(storeId, scope)
        return try await database.all(
            """
            SELECT advisor_name, COUNT(*) AS n FROM repair_orders
            WHERE store_id = \(bind: storeId) AND advisor_id IS NULL AND advisor_name <> ''
            GROUP BY advisor_name ORDER BY n DESC, advisor_name
            """
        ).map { UnlinkedAdvisor(name: try $0.string("advisor_name"), orders: Int(try $0.int64("n"))) }
    }

    public func linkAdvisor(name: String, userId: Int64, storeId: Int64, scope: Scope) async throws -> Int {
        try Self.requireImporter(storeId, scope)
        let name = try FieldRules.text(name, field: "name", max: 100)
        let at = now()
        return try await database.transaction { db in
            guard
                try await db.raw(
                    "SELECT user_id FROM user_stores WHERE store_id = \(bind: storeId) AND user_id = \(bind: userId)"
                ).first() != nil
            else {
                throw RevisitError(.validation, code: .invalidValue, field: "userId", args: ["value": String(userId)])
            }
            try await db.raw(
                "DELETE FROM advisor_aliases WHERE store_id = \(bind: storeId) AND name = \(bind: name)"
            ).run()
            try await db.raw(
                "INSERT INTO advisor_aliases (store_id, name, user_id) VALUES (\(bind: storeId), \(bind: name), \(bind: userId))"
            ).run()
            let linked = try await db.raw(
                """
                UPDATE repair_orders SET advisor_id = \(bind: userId)
                WHERE store_id = \(bind: storeId) AND advisor_name = \(bind: name) AND advisor_id IS NULL RETURNING id
                """
            ).all().count
            try await AuditWriter.insert(
                AuditRecord(
                    action: .advisorLinked, entityType: "user", entityId: String(userId), storeId: storeId,
                    detail: "\(name) → \(linked) orders"),
                actor: scope.actor, at: at, on: db)
            return linked
        }
    }
}
