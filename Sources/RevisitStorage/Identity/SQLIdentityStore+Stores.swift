import Foundation
import RevisitCore
import SQLKit

extension SQLIdentityStore {
    public func stores(scope: Scope) async throws -> [Store] {
        try await database.all("SELECT * FROM stores WHERE " + scope.storeFilter("id") + " ORDER BY code").map(
            Self.store)
    }

    public func store(id: Int64, scope: Scope) async throws -> Store {
        let rows = try await database.all(
            "SELECT * FROM stores WHERE id = \(bind: id) AND " + scope.storeFilter("id"))
        guard let row = rows.first else { throw RevisitError.notFound() }
        return try Self.store(row)
    }

    public func store(code: String, scope: Scope) async throws -> Store {
        let rows = try await database.all(
            "SELECT * FROM stores WHERE code = \(bind: code.uppercased()) AND " + scope.storeFilter("id"))
        guard let row = rows.first else {
            throw RevisitError(.notFound, code: .unknownStore, field: "store", args: ["value": code])
        }
        return try Self.store(row)
    }

    public func createStore(_ draft: StoreDraft, scope: Scope) async throws -> Store {
        try scope.requireAdmin()
        let draft = try draft.validated()
        let at = now()
        return try await write(duplicate: .duplicateCode, field: "code") { db in
            try await Self.checkStoreDraft(draft, except: nil, on: db)
            let row = try await db.raw(
                """
                INSERT INTO stores (code, name, group_id, time_zone, phone, active, created_at, updated_at)
                VALUES (\(bind: draft.code), \(bind: draft.name), \(bind: draft.groupId), \(bind: draft.timeZone),
                        \(bind: draft.phone), \(bind: draft.active.sqlInt), \(bind: at.epochMilliseconds),
                        \(bind: at.epochMilliseconds))
                RETURNING id
                """
            ).first()
            let id = try row!.int64("id")
            try await AuditWriter.insert(
                AuditRecord(
                    action: .storeCreated, entityType: "store", entityId: String(id), storeId: id, detail: draft.code),
                actor: scope.actor, at: at, on: db)
            return Store(id: id, draft: draft)
        }
    }

    public func updateStore(id: Int64, _ draft: StoreDraft, scope: Scope) async throws -> Store {
        try scope.requireAdmin()
        let draft = try draft.validated()
        let at = now()
        return try await write(duplicate: .duplicateCode, field: "code") { db in
            guard try await db.raw("SELECT id FROM stores WHERE id = \(bind: id)").first() != nil else {
                throw RevisitError.notFound()
            }
            try await Self.checkStoreDraft(draft, except: id, on: db)
            try await db.raw(
                """
                UPDATE stores SET code = \(bind: draft.code), name = \(bind: draft.name), group_id = \(bind: draft.groupId),
                time_zone = \(bind: draft.timeZone), phone = \(bind: draft.phone), active = \(bind: draft.active.sqlInt),
                updated_at = \(bind: at.epochMilliseconds)
                WHERE id = \(bind: id)
                """
            ).run()
            try await AuditWriter.insert(
                AuditRecord(
                    action: .storeUpdated, entityType: "store", entityId: String(id), storeId: id, detail: draft.code),
                actor: scope.actor, at: at, on: db)
            return Store(id: id, draft: draft)
        }
    }

    static func checkStoreDraft(_ draft: StoreDraft, except id: Int64?, on db: any SQLDatabase) async throws {
        if let existing = try await db.raw("SELECT id FROM stores WHERE code = \(bind: draft.code)").first(),
            try existing.int64("id") != id
        {
            throw RevisitError(.conflict, code: .duplicateCode, field: "code", args: ["value": draft.code])
        }
        if let groupId = draft.groupId,
            try await db.raw("SELECT id FROM groups WHERE id = \(bind: groupId)").first() == nil
        {
            throw RevisitError(.validation, code: .unknownGroup, field: "group", args: ["value": String(groupId)])
        }
    }

    static func store(_ row: any SQLRow) throws -> Store {
        Store(
            id: try row.int64("id"), code: try row.string("code"), name: try row.string("name"),
            groupId: try row.optionalInt64("group_id"), timeZone: try row.string("time_zone"),
            phone: try row.string("phone"), active: try row.bool("active"))
    }
}
