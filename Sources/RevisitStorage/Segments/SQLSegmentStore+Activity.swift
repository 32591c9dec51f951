import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// Every live customer of the store with the sums DOMAIN §3 ranks by, in one pass over the repair
    /// orders: orders count at their open date; the window is (as-of − window, as-of]; nothing after the
    /// as-of day counts. The same pass gathers what the store analytics need: the first visit and the
    /// visited years and quarters as bit sets (`VisitBits`), OR-ed by summing distinct powers of two.
    func activity(storeId: Int64, asOf: LocalDate, settings: SegmentSettings) async throws -> [CustomerActivity] {
        let from = Segmentation.windowStart(asOf: asOf, settings: settings).description
        let through = asOf.description
        let year = "CAST(substr(o.opened_on, 1, 4) AS INTEGER)"
        let quarter = "(\(year) * 4 + (CAST(substr(o.opened_on, 6, 2) AS INTEGER) - 1) / 3)"
        let yearBit = "\(year) - \(VisitBits.firstYear(asOf: asOf))"
        let quarterBit = "\(quarter) - \(VisitBits.firstQuarter(asOf: asOf))"
        func bits(_ bit: String, limit: Int) -> String {
            """
            CAST(COALESCE(SUM(DISTINCT CASE WHEN o.opened_on <= '\(through)' AND \(bit) >= 0 AND \(bit) < \(limit)
                THEN CAST(1 AS BIGINT) << CAST(\(bit) AS INTEGER) END), 0) AS BIGINT)
            """
        }
        var activities: [CustomerActivity] = []
        for row in try await database.all(
            """
            SELECT c.id,
                CAST(COALESCE(SUM(CASE WHEN o.opened_on > \(bind: from) AND o.opened_on <= \(bind: through)
                    THEN o.total_fen END), 0) AS BIGINT) AS revenue,
                CAST(COALESCE(SUM(CASE WHEN o.opened_on > \(bind: from) AND o.opened_on <= \(bind: through)
                    THEN o.cost_fen END), 0) AS BIGINT) AS cost,
                COUNT(CASE WHEN o.opened_on > \(bind: from) AND o.opened_on <= \(bind: through) THEN 1 END) AS visits,
                MAX(CASE WHEN o.opened_on <= \(bind: through) THEN o.opened_on END) AS last_visit,
                MIN(CASE WHEN o.opened_on <= \(bind: through) THEN o.opened_on END) AS first_visit,
                \(unsafeRaw: bits(yearBit, limit: VisitBits.years)) AS year_bits,
                \(unsafeRaw: bits(quarterBit, limit: VisitBits.quarters)) AS quarter_bits
            FROM customers c
            LEFT JOIN repair_orders o ON o.store_id = c.store_id AND o.customer_id = c.id
            WHERE c.store_id = \(bind: storeId) AND c.merged_into_id IS NULL
            GROUP BY c.id
            ORDER BY c.id
            """
        ) {
            activities.append(
                CustomerActivity(
                    customerId: try row.int64("id"), windowRevenueFen: try row.int64("revenue"),
                    windowCostFen: try row.int64("cost"), windowVisits: Int(try row.int64("visits")),
                    lastVisit: try row.optionalString("last_visit").flatMap(LocalDate.init),
                    firstVisit: try row.optionalString("first_visit").flatMap(LocalDate.init),
                    yearBits: try row.int64("year_bits"), quarterBits: try row.int64("quarter_bits")))
        }
        return activities
    }
}
