import Foundation
import RevisitCore
import SQLKit

/// Customers on either engine.
public struct SQLCustomerStore: CustomerStore {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    public func customer(id: Int64, scope: Scope) async throws -> Customer {
        try await database.withConnection { db in
            try await Self.visibleCustomer(id: id, scope: scope, on: db)
        }
    }

    static func visibleCustomer(id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Customer {
        let found = try await db.raw(
            "SELECT id FROM customers WHERE id = \(bind: id) AND " + scope.storeFilter("store_id")
        ).first()
        guard found != nil, let customer = try await CustomerRows.load(ids: [id], on: db).first else {
            throw RevisitError.notFound()
        }
        return customer
    }

    /// Replaces merged records by the records they were merged into, keeping order and dropping repeats.
    static func resolveMerged(_ ids: [Int64], on db: any SQLDatabase) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.raw(
            "SELECT id, merged_into_id FROM customers WHERE id IN (\(binds: ids)) AND merged_into_id IS NOT NULL"
        ).all()
        var survivor: [Int64: Int64] = [:]
        for row in rows { survivor[try row.int64("id")] = try row.int64("merged_into_id") }
        var seen: Set<Int64> = []
        return ids.map { survivor[$0] ?? $0 }.filter { seen.insert($0).inserted }
    }

    public func interactions(
        customerId: Int64, kind: InteractionKind?, limit: Int, scope: Scope
    ) async throws
        -> [Interaction]
    {
        try await database.withConnection { db in
            guard
                let visible = try await db.raw(
                    "SELECT store_id FROM customers WHERE id = \(bind: customerId) AND " + scope.storeFilter("store_id")
                ).first()
            else { throw RevisitError.notFound() }
            var query: SQLQueryString =
                "SELECT * FROM interactions WHERE store_id = \(bind: try visible.int64("store_id")) AND customer_id = \(bind: customerId)"
            if let kind { query += " AND kind = \(bind: kind.rawValue)" }
            query += " ORDER BY at DESC, id DESC LIMIT \(bind: Int64(max(1, min(limit, 500))))"
            return try await db.raw(query).all().map(Self.interaction)
        }
    }

    /// Every column `interaction(_:)` reads.
    static let interactionColumns = ["id", "customer_id", "at", "kind", "summary", "user_login"]

    static func interaction(_ row: any SQLRow) throws -> Interaction {
        Interaction(
            id: try row.int64("id"), customerId: try row.int64("customer_id"), at: try row.date("at"),
            kind: InteractionKind(rawValue: try row.string("kind")) ?? .note, summary: try row.string("summary"),
            userLogin: try row.string("user_login"))
    }
}
