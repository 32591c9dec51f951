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

    public func lookup(phone: PhoneNumber, scope: Scope) async throws -> [Customer] {
        guard !phone.digits.isEmpty else { return [] }
        return try await database.withConnection { db in
            // One query finds the phone and resolves merged records to their survivors.
            let rows = try await db.raw(
                """
                SELECT DISTINCT COALESCE(c.merged_into_id, c.id) AS id FROM customer_phones p
                JOIN customers c ON c.store_id = p.store_id AND c.id = p.customer_id
                WHERE p.digits = \(bind: phone.digits) AND
                """ + " " + scope.storeFilter("p.store_id") + " LIMIT 20"
            ).all()
            return try await CustomerRows.load(ids: try rows.map { try $0.int64("id") }, on: db)
        }
    }

    public func recentInteractions(
        customerIds: [Int64], perCustomer: Int, scope: Scope
    ) async throws
        -> [Int64: [Interaction]]
    {
        guard !customerIds.isEmpty else { return [:] }
        let rows = try await database.all(
            """
            SELECT * FROM (SELECT i.*, ROW_NUMBER() OVER (PARTITION BY i.customer_id ORDER BY i.at DESC, i.id DESC) AS rn
                FROM interactions i WHERE i.customer_id IN (\(binds: customerIds)) AND
            """ + " " + scope.storeFilter("i.store_id")
                + ") t WHERE t.rn <= \(bind: Int64(perCustomer)) ORDER BY t.at DESC, t.id DESC"
        )
        var result: [Int64: [Interaction]] = [:]
        for row in rows {
            let customerId = try row.int64("customer_id")
            result[customerId, default: []].append(
                Interaction(
                    id: try row.int64("id"), customerId: customerId, at: try row.date("at"),
                    kind: InteractionKind(rawValue: try row.string("kind")) ?? .note,
                    summary: try row.string("summary"),
                    userLogin: try row.string("user_login")))
        }
        return result
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
            return try await db.raw(query).all().map { row in
                Interaction(
                    id: try row.int64("id"), customerId: customerId, at: try row.date("at"),
                    kind: InteractionKind(rawValue: try row.string("kind")) ?? .note,
                    summary: try row.string("summary"),
                    userLogin: try row.string("user_login"))
            }
        }
    }
}
