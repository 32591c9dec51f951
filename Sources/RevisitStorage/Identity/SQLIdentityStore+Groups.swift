import Foundation
import RevisitCore
import SQLKit

extension SQLIdentityStore {
    public func groups(scope: Scope) async throws -> [Group] {
        let visible: SQLQueryString =
            scope.isAdmin
            ? "1 = 1"
            : "id IN (SELECT group_id FROM stores WHERE " + scope.storeFilter("id") + ")"
        return try await database.all("SELECT * FROM groups WHERE " + visible + " ORDER BY code").map(Self.group)
    }

    public func group(id: Int64, scope: Scope) async throws -> Group {
        guard let group = try await groups(scope: scope).first(where: { $0.id == id }) else {
            throw RevisitError.notFound()
        }
        return group
    }

    public func group(code: String, scope: Scope) async throws -> Group {
        guard let group = try await groups(scope: scope).first(where: { $0.code == code.uppercased() }) else {
            throw RevisitError(.validation, code: .unknownGroup, field: "group", args: ["value": code])
        }
        return group
    }

    public func createGroup(_ draft: GroupDraft, scope: Scope) async throws -> Group {
        try scope.requireAdmin()
        let draft = try draft.validated()
        let at = now()
        return try await write(duplicate: .duplicateCode, field: "code") { db in
            try await Self.checkGroupCodeFree(draft.code, except: nil, on: db)
            let row = try await db.raw(
                """
                INSERT INTO groups (code, name, created_at, updated_at)
                VALUES (\(bind: draft.code), \(bind: draft.name), \(bind: at.epochMilliseconds), \(bind: at.epochMilliseconds))
                RETURNING id
                """
            ).first()
            let group = Group(id: try row!.int64("id"), code: draft.code, name: draft.name)
            try await AuditWriter.insert(
                AuditRecord(action: .groupCreated, entityType: "group", entityId: String(group.id), detail: group.code),
                actor: scope.actor, at: at, on: db)
            return group
        }
    }

    public func updateGroup(id: Int64, _ draft: GroupDraft, scope: Scope) async throws -> Group {
        try scope.requireAdmin()
        let draft = try draft.validated()
        let at = now()
        return try await write(duplicate: .duplicateCode, field: "code") { db in
            guard try await db.raw("SELECT id FROM groups WHERE id = \(bind: id)").first() != nil else {
                throw RevisitError.notFound()
            }
            try await Self.checkGroupCodeFree(draft.code, except: id, on: db)
            try await db.raw(
                """
                UPDATE groups SET code = \(bind: draft.code), name = \(bind: draft.name),
                updated_at = \(bind: at.epochMilliseconds) WHERE id = \(bind: id)
                """
            ).run()
            try await AuditWriter.insert(
                AuditRecord(action: .groupUpdated, entityType: "group", entityId: String(id), detail: draft.code),
                actor: scope.actor, at: at, on: db)
            return Group(id: id, code: draft.code, name: draft.name)
        }
    }

    static func checkGroupCodeFree(_ code: String, except id: Int64?, on db: any SQLDatabase) async throws {
        let row = try await db.raw("SELECT id FROM groups WHERE code = \(bind: code)").first()
        if let row, try row.int64("id") != id {
            throw RevisitError(.conflict, code: .duplicateCode, field: "code", args: ["value": code])
        }
    }

    static func group(_ row: any SQLRow) throws -> Group {
        Group(id: try row.int64("id"), code: try row.string("code"), name: try row.string("name"))
    }
}
