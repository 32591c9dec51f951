import Foundation
import RevisitCore
import SQLKit

extension SQLCustomerStore {
    /// Pairs of live customers of one store sharing a recognisable phone, a plate, or a VIN that differs
    /// only in its check digit (a typing slip that made a second record).
    public func duplicateCandidates(storeId: Int64, limit: Int, scope: Scope) async throws -> [DuplicatePair] {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        let limit = Int64(max(1, min(limit, 500)))
        return try await database.withConnection { db in
            var found: [(a: Int64, b: Int64, reason: DuplicatePair.Reason, key: String)] = []
            for (reason, sql) in Self.duplicateQueries(storeId: storeId, limit: limit) {
                for row in try await db.raw(sql).all() {
                    found.append((try row.int64("a"), try row.int64("b"), reason, try row.string("k")))
                }
            }
            let ids = Array(Set(found.flatMap { [$0.a, $0.b] }))
            guard !ids.isEmpty else { return [] }
            let rows = try await db.raw("SELECT * FROM customers WHERE id IN (\(binds: ids))").all()
            let summaries = Dictionary(
                uniqueKeysWithValues: try rows.map { (try $0.int64("id"), try CustomerRows.summary($0)) })
            var seen: Set<String> = []
            return found.compactMap { pair in
                guard let first = summaries[pair.a], let second = summaries[pair.b],
                    seen.insert("\(pair.a)-\(pair.b)").inserted
                else { return nil }
                return DuplicatePair(first: first, second: second, reason: pair.reason, key: pair.key)
            }
        }
    }

    static func duplicateQueries(storeId: Int64, limit: Int64) -> [(DuplicatePair.Reason, SQLQueryString)] {
        let live: SQLQueryString = "c.store_id = x.store_id AND c.id = x.owner AND c.merged_into_id IS NULL"
        return [
            (
                .phone,
                """
                SELECT x.digits AS k, MIN(x.owner) AS a, MAX(x.owner) AS b
                FROM (SELECT store_id, customer_id AS owner, digits FROM customer_phones
                      WHERE store_id = \(bind: storeId) AND format <> 'other') x
                JOIN customers c ON
                """ + " " + live + " GROUP BY x.digits HAVING COUNT(DISTINCT x.owner) > 1 LIMIT \(bind: limit)"
            ),
            (
                .plate,
                """
                SELECT x.plate AS k, MIN(x.owner) AS a, MAX(x.owner) AS b
                FROM (SELECT store_id, owner_customer_id AS owner, plate FROM vehicles
                      WHERE store_id = \(bind: storeId) AND plate <> '' AND owner_customer_id IS NOT NULL) x
                JOIN customers c ON
                """ + " " + live + " GROUP BY x.plate HAVING COUNT(DISTINCT x.owner) > 1 LIMIT \(bind: limit)"
            ),
            (
                .vin,
                """
                SELECT x.k AS k, MIN(x.owner) AS a, MAX(x.owner) AS b
                FROM (SELECT store_id, owner_customer_id AS owner, substr(vin, 1, 8) || '?' || substr(vin, 10) AS k
                      FROM vehicles WHERE store_id = \(bind: storeId) AND owner_customer_id IS NOT NULL) x
                JOIN customers c ON
                """ + " " + live + " GROUP BY x.k HAVING COUNT(DISTINCT x.owner) > 1 LIMIT \(bind: limit)"
            ),
        ]
    }

    public func dataQuality(storeId: Int64, scope: Scope) async throws -> DataQualityReport {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        let counts = try await database.all(
            """
            SELECT COUNT(*) AS n, CAST(SUM(phone_flag) AS BIGINT) AS phones,
                CAST(SUM(CASE WHEN completeness < 100 THEN 1 ELSE 0 END) AS BIGINT) AS incomplete,
                CAST(SUM(completeness) AS BIGINT) AS completeness,
                CAST(SUM(CASE WHEN primary_phone = '' OR phone_flag = 1 THEN 1 ELSE 0 END) AS BIGINT) AS m_phone,
                CAST(SUM(CASE WHEN type = 'individual' AND gender = 'unknown' THEN 1 ELSE 0 END) AS BIGINT) AS m_gender,
                CAST(SUM(CASE WHEN type = 'individual' AND birthday IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS m_birthday,
                CAST(SUM(CASE WHEN address = '' THEN 1 ELSE 0 END) AS BIGINT) AS m_address,
                CAST(SUM(CASE WHEN region = '' THEN 1 ELSE 0 END) AS BIGINT) AS m_region,
                CAST(SUM(CASE WHEN owner_id IS NULL AND owner_team_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS m_owner,
                CAST(SUM(CASE WHEN source_channel = '' THEN 1 ELSE 0 END) AS BIGINT) AS m_source,
                CAST(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM vehicles v WHERE v.store_id = customers.store_id
                    AND v.owner_customer_id = customers.id) THEN 1 ELSE 0 END) AS BIGINT) AS m_vehicle
            FROM customers WHERE store_id = \(bind: storeId) AND merged_into_id IS NULL
            """)
        let vehicles = try await database.all(
            """
            SELECT CAST(SUM(vin_flag) AS BIGINT) AS vins, CAST(SUM(plate_flag) AS BIGINT) AS plates
            FROM vehicles WHERE store_id = \(bind: storeId)
            """)
        let row = counts[0]
        let total = Int(try row.int64("n"))
        func count(_ column: String) throws -> Int { Int(try row.optionalInt64(column) ?? 0) }
        var missing: [String: Int] = [:]
        for field in ["phone", "gender", "birthday", "address", "region", "owner", "source", "vehicle"] {
            missing[field] = try count("m_\(field)")
        }
        let pairs = try await duplicateCandidates(storeId: storeId, limit: 500, scope: scope).count
        return DataQualityReport(
            customers: total, invalidPhones: try count("phones"),
            invalidVINs: Int(try vehicles[0].optionalInt64("vins") ?? 0),
            invalidPlates: Int(try vehicles[0].optionalInt64("plates") ?? 0), incomplete: try count("incomplete"),
            averageCompleteness: total == 0 ? 0 : try count("completeness") / total, missing: missing,
            duplicatePairs: pairs)
    }
}
