import Foundation
import RevisitCore
import SQLKit

extension SQLCustomerStore {
    /// Each store's slice is read along its own (store_id, name, id) or (store_id, id) index and the
    /// slices are merged here: a single query over several stores would have to sort them all.
    public func customers(_ query: CustomerQuery, scope: Scope) async throws -> Page<CustomerSummary> {
        let limit = max(1, min(query.limit, 200))
        let collate = database.bytewise
        let keyset = try Self.keyset(query, collate: collate)
        return try await database.withConnection { db in
            let filters = Self.filters(query)
            let stores = try await Self.storeIds(query, scope: scope, on: db)
            var rows: [any SQLRow] = []
            let q = query.q.trimmingCharacters(in: .whitespaces)
            if !q.isEmpty {
                let ids = try await Self.searchIDs(q, query: query, scope: scope, collate: collate, on: db)
                if !ids.isEmpty {
                    rows += try await db.raw(
                        "SELECT c.* FROM customers c WHERE c.id IN (\(binds: ids)) AND "
                            + scope.storeFilter("c.store_id")
                            + filters + keyset.condition + keyset.order + " LIMIT \(bind: Int64(limit + 1))"
                    ).all()
                }
            }
            if q.isEmpty || Self.couldBeName(q) {
                let name: SQLQueryString =
                    q.isEmpty
                    ? ""
                    : " AND c.name \(unsafeRaw: collate) >= \(bind: q) AND c.name \(unsafeRaw: collate) < \(bind: q + prefixRangeEnd)"
                for storeId in stores {
                    rows += try await db.raw(
                        "SELECT c.* FROM customers c WHERE c.store_id = \(bind: storeId)" + filters + name
                            + keyset.condition + keyset.order + " LIMIT \(bind: Int64(limit + 1))"
                    ).all()
                }
            }
            var seen: Set<Int64> = []
            let merged = try rows.map(CustomerRows.summary).filter { seen.insert($0.id).inserted }.sorted { a, b in
                switch query.sort {
                // Byte-wise, as the database orders them (COLLATE "C" / BINARY).
                case .name: a.name == b.name ? a.id < b.id : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
                case .newest: a.id > b.id
                }
            }
            let items = Array(merged.prefix(limit))
            var next: String?
            if merged.count > limit, let last = items.last {
                next =
                    query.sort == .name
                    ? Cursor.encode([last.name, String(last.id)]) : Cursor.encode([String(last.id)])
            }
            return Page(items: items, nextCursor: next)
        }
    }

    /// The stores a list reads: the one asked for (if visible), else every store of the scope.
    static func storeIds(_ query: CustomerQuery, scope: Scope, on db: any SQLDatabase) async throws -> [Int64] {
        if let storeId = query.storeId { return scope.canSee(store: storeId) ? [storeId] : [] }
        if scope.isAdmin && scope.storeIds.isEmpty {
            return try await db.raw("SELECT id FROM stores ORDER BY id").all().map { try $0.int64("id") }
        }
        return scope.sortedStoreIds
    }

    /// The list filters other than the search text and the store, as `AND …` clauses.
    static func filters(_ query: CustomerQuery) -> SQLQueryString {
        var sql: SQLQueryString = " AND c.merged_into_id IS NULL"
        if let storeId = query.storeId { sql += " AND c.store_id = \(bind: storeId)" }
        if let ownerId = query.ownerId { sql += " AND c.owner_id = \(bind: ownerId)" }
        if let team = query.ownerTeamId { sql += " AND c.owner_team_id = \(bind: team)" }
        if let tag = query.tag, !tag.isEmpty { sql += " AND c.tags LIKE \(bind: "%|\(tag)|%")" }
        if let type = query.type { sql += " AND c.type = \(bind: type.rawValue)" }
        if let consent = query.consentSMS { sql += " AND c.consent_sms = \(bind: consent.sqlInt)" }
        if let consent = query.consentCallback { sql += " AND c.consent_callback = \(bind: consent.sqlInt)" }
        if query.alertOnly { sql += " AND c.alert_reason IS NOT NULL" }
        switch query.flag {
        case .phone: sql += " AND c.phone_flag = 1"
        case .incomplete: sql += " AND c.completeness < 100"
        case .vin, .plate:
            let column = query.flag == .vin ? "vin_flag" : "plate_flag"
            sql +=
                " AND EXISTS (SELECT 1 FROM vehicles v WHERE v.store_id = c.store_id AND v.owner_customer_id = c.id AND v.\(unsafeRaw: column) = 1)"
        case nil: break
        }
        if query.valueClass != nil || query.quadrant != nil || query.churnStage != nil {
            var segment: SQLQueryString =
                "SELECT 1 FROM customer_segments s WHERE s.store_id = c.store_id AND s.customer_id = c.id"
            if let value = query.valueClass { segment += " AND s.value_class = \(bind: value.rawValue)" }
            if let quadrant = query.quadrant { segment += " AND s.quadrant = \(bind: quadrant.rawValue)" }
            if let stage = query.churnStage { segment += " AND s.churn_stage = \(bind: stage.rawValue)" }
            sql += " AND EXISTS (" + segment + ")"
        }
        return sql
    }

    /// The cursor condition and the order of a sort.
    static func keyset(
        _ query: CustomerQuery, collate: String
    ) throws -> (condition: SQLQueryString, order: SQLQueryString) {
        switch query.sort {
        case .name:
            var condition: SQLQueryString = ""
            if let cursor = query.cursor {
                let values = try Cursor.decode(cursor, count: 2)
                guard let lastId = Int64(values[1]) else {
                    throw RevisitError(.badRequest, code: .invalidCursor, field: "cursor")
                }
                condition =
                    " AND (c.name \(unsafeRaw: collate) > \(bind: values[0]) OR (c.name \(unsafeRaw: collate) = \(bind: values[0]) AND c.id > \(bind: lastId)))"
            }
            return (condition, " ORDER BY c.name \(unsafeRaw: collate), c.id")
        case .newest:
            var condition: SQLQueryString = ""
            if let cursor = query.cursor {
                guard let lastId = Int64(try Cursor.decode(cursor, count: 1)[0]) else {
                    throw RevisitError(.badRequest, code: .invalidCursor, field: "cursor")
                }
                condition = " AND c.id < \(bind: lastId)"
            }
            return (condition, " ORDER BY c.id DESC")
        }
    }

    /// Digits-only input is a phone, a number suffix or a DMS number, never a name.
    static func couldBeName(_ q: String) -> Bool {
        !q.allSatisfy { $0.isNumber || $0 == " " || $0 == "-" || $0 == "+" }
    }

    /// Customer ids whose phone, vehicle (VIN or plate) or DMS number match `q`, each through an index.
    static func searchIDs(
        _ q: String, query: CustomerQuery, scope: Scope, collate: String, on db: any SQLDatabase
    ) async throws -> [Int64] {
        var filter: SQLQueryString = scope.storeFilter("store_id")
        if let storeId = query.storeId { filter += " AND store_id = \(bind: storeId)" }
        var ids: [Int64] = []
        func collect(_ sql: SQLQueryString, column: String) async throws {
            for row in try await db.raw(sql).all() {
                if let id = try row.optionalInt64(column) { ids.append(id) }
            }
        }
        try await collect(
            "SELECT id FROM customers WHERE customer_no = \(bind: q) AND " + filter + " LIMIT 20", column: "id")
        let digits = q.filter(\.isNumber)
        if !couldBeName(q) || digits.count >= 7 {
            let phone = PhoneNumber(q)
            if phone.isValid {
                try await collect(
                    "SELECT customer_id FROM customer_phones WHERE digits = \(bind: phone.digits) AND " + filter
                        + " LIMIT 50", column: "customer_id")
            }
            if digits.count >= 4 {
                let reversed = digits.reversedText
                try await collect(
                    "SELECT customer_id FROM customer_phones WHERE digits_rev \(unsafeRaw: collate) >= \(bind: reversed) AND digits_rev \(unsafeRaw: collate) < \(bind: reversed + prefixRangeEnd) AND "
                        + filter + " LIMIT 200", column: "customer_id")
            }
        }
        let vehicleKey = Plate.normalize(q)
        if vehicleKey.count >= 4 {
            let reversed = vehicleKey.reversedText
            try await collect(
                "SELECT owner_customer_id FROM vehicles WHERE vin_rev \(unsafeRaw: collate) >= \(bind: reversed) AND vin_rev \(unsafeRaw: collate) < \(bind: reversed + prefixRangeEnd) AND "
                    + filter + " LIMIT 200", column: "owner_customer_id")
            try await collect(
                "SELECT owner_customer_id FROM vehicles WHERE plate_rev \(unsafeRaw: collate) >= \(bind: reversed) AND plate_rev \(unsafeRaw: collate) < \(bind: reversed + prefixRangeEnd) AND "
                    + filter + " LIMIT 200", column: "owner_customer_id")
            try await collect(
                "SELECT owner_customer_id FROM vehicles WHERE plate \(unsafeRaw: collate) >= \(bind: vehicleKey) AND plate \(unsafeRaw: collate) < \(bind: vehicleKey + prefixRangeEnd) AND "
                    + filter + " LIMIT 200", column: "owner_customer_id")
        }
        return try await resolveMerged(ids, on: db)
    }
}
