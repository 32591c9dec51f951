import Foundation
import RevisitCore
import SQLKit

extension SQLCustomerStore {
    public func customers(_ query: CustomerQuery, scope: Scope) async throws -> Page<CustomerSummary> {
        let limit = max(1, min(query.limit, 200))
        let collate = database.bytewise
        return try await database.withConnection { db in
            var sql: SQLQueryString =
                "SELECT c.* FROM customers c WHERE c.merged_into_id IS NULL AND " + scope.storeFilter("c.store_id")
            if let storeId = query.storeId { sql += " AND c.store_id = \(bind: storeId)" }
            if let ownerId = query.ownerId { sql += " AND c.owner_id = \(bind: ownerId)" }
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
            let q = query.q.trimmingCharacters(in: .whitespaces)
            if !q.isEmpty {
                let ids = try await Self.searchIDs(q, query: query, scope: scope, collate: collate, on: db)
                let idMatch: SQLQueryString = ids.isEmpty ? "1 = 0" : "c.id IN (\(binds: ids))"
                if Self.couldBeName(q) {
                    sql +=
                        " AND (" + idMatch
                        + " OR (c.name \(unsafeRaw: collate) >= \(bind: q) AND c.name \(unsafeRaw: collate) < \(bind: q + prefixRangeEnd)))"
                } else {
                    sql += " AND " + idMatch
                }
            }
            switch query.sort {
            case .name:
                if let cursor = query.cursor {
                    let values = try Cursor.decode(cursor, count: 2)
                    guard let lastId = Int64(values[1]) else {
                        throw RevisitError(.badRequest, code: .invalidCursor, field: "cursor")
                    }
                    sql +=
                        " AND (c.name \(unsafeRaw: collate) > \(bind: values[0]) OR (c.name \(unsafeRaw: collate) = \(bind: values[0]) AND c.id > \(bind: lastId)))"
                }
                sql += " ORDER BY c.name \(unsafeRaw: collate), c.id"
            case .newest:
                if let cursor = query.cursor {
                    guard let lastId = Int64(try Cursor.decode(cursor, count: 1)[0]) else {
                        throw RevisitError(.badRequest, code: .invalidCursor, field: "cursor")
                    }
                    sql += " AND c.id < \(bind: lastId)"
                }
                sql += " ORDER BY c.id DESC"
            }
            sql += " LIMIT \(bind: Int64(limit + 1))"
            let rows = try await db.raw(sql).all()
            let items = try rows.prefix(limit).map(CustomerRows.summary)
            var next: String?
            if rows.count > limit, let last = items.last {
                next =
                    query.sort == .name
                    ? Cursor.encode([last.name, String(last.id)]) : Cursor.encode([String(last.id)])
            }
            return Page(items: items, nextCursor: next)
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
