import Foundation
import RevisitCore
import SQLKit

/// The per-vehicle classes and the workshop figures of a run, summed in SQL: they read every vehicle and
/// every order of the window, and only small totals come back.
extension SQLSegmentStore {
    /// `VehicleSegmentation.monthDayKey` of a 'YYYY-MM-DD' column.
    static func monthDayKey(_ column: String) -> String {
        "((CAST(substr(\(column), 1, 4) AS INTEGER) * 12 + CAST(substr(\(column), 6, 2) AS INTEGER)) * 100"
            + " + CAST(substr(\(column), 9, 2) AS INTEGER))"
    }

    /// `VehicleSegmentation.warranty` over `vehicles v`, on the day `day` (a column, or a quoted date with
    /// its key) at `km` (a column).
    static func warrantySQL(day: String, dayKey: String, km: String, settings: SegmentSettings) -> String {
        """
        CASE WHEN v.id IS NULL OR (v.warranty_end_date IS NULL AND v.delivery_date IS NULL) THEN 'unknown'
            WHEN (CASE WHEN v.warranty_end_date IS NOT NULL THEN \(day) <= v.warranty_end_date
                    ELSE \(dayKey) < \(monthDayKey("v.delivery_date")) + \(settings.warrantyMonths * 100) END)
                AND (\(km) IS NULL OR \(km) < COALESCE(v.warranty_end_km, \(settings.warrantyKm)))
            THEN 'in_warranty' ELSE 'out_of_warranty' END
        """
    }

    /// Replaces the store's vehicle classes with this run's and returns vehicles by age band, then
    /// warranty status (every band and status present).
    func replaceVehicleSegments(
        storeId: Int64, runId: Int64, asOf: LocalDate, settings: SegmentSettings, on db: any SQLDatabase
    ) async throws -> [String: [String: Int]] {
        let newAfter = asOf.addingMonths(-12 * settings.ageBandYears[0]).description
        let middleAfter = asOf.addingMonths(-12 * settings.ageBandYears[1]).description
        let day = "'\(asOf.description)'"
        let warranty = Self.warrantySQL(
            day: day, dayKey: String(VehicleSegmentation.monthDayKey(asOf)), km: "v.mileage_km", settings: settings)
        try await db.raw("DELETE FROM vehicle_segments WHERE store_id = \(bind: storeId)").run()
        try await db.raw(
            """
            INSERT INTO vehicle_segments (store_id, vehicle_id, run_id, as_of, age_band, warranty)
            SELECT v.store_id, v.id, \(bind: runId), \(bind: asOf.description),
                CASE WHEN v.delivery_date IS NULL THEN 'unknown'
                    WHEN v.delivery_date > \(bind: newAfter) THEN '0_1'
                    WHEN v.delivery_date > \(bind: middleAfter) THEN '1_3'
                    ELSE 'over_3' END,
                \(unsafeRaw: warranty)
            FROM vehicles v WHERE v.store_id = \(bind: storeId)
            """
        ).run()
        var counts: [String: [String: Int]] = [:]
        for band in AgeBand.allCases {
            counts[band.rawValue] = Dictionary(uniqueKeysWithValues: WarrantyStatus.allCases.map { ($0.rawValue, 0) })
        }
        for row in try await db.raw(
            """
            SELECT age_band, warranty, COUNT(*) AS vehicles FROM vehicle_segments WHERE store_id = \(bind: storeId)
            GROUP BY age_band, warranty
            """
        ).all() {
            counts[try row.string("age_band"), default: [:]][try row.string("warranty")] = Int(
                try row.int64("vehicles"))
        }
        return counts
    }

    /// The workshop over the value window (DOMAIN §15): orders, revenue, warranty share and comebacks by
    /// month, and the last 90 days day by day. `customers` is the window's distinct visitors.
    func workshop(
        storeId: Int64, asOf: LocalDate, settings: SegmentSettings, customers: Int, on db: any SQLDatabase
    ) async throws -> WorkshopMetrics {
        let from = Segmentation.windowStart(asOf: asOf, settings: settings)
        let warranty = Self.warrantySQL(
            day: "o.opened_on", dayKey: Self.monthDayKey("o.opened_on"), km: "o.mileage_in", settings: settings)
        var months: [WorkshopMonth] = []
        for row in try await db.raw(
            """
            SELECT month, COUNT(*) AS orders, COUNT(DISTINCT customer_id) AS customers,
                CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) AS revenue,
                CAST(SUM(CASE WHEN status = 'in_warranty' THEN 1 ELSE 0 END) AS BIGINT) AS in_warranty,
                CAST(SUM(CASE WHEN status = 'out_of_warranty' THEN 1 ELSE 0 END) AS BIGINT) AS out_of_warranty,
                CAST(SUM(internal_comeback) AS BIGINT) AS internal_comebacks,
                CAST(SUM(external_comeback) AS BIGINT) AS external_comebacks
            FROM (
                SELECT substr(o.opened_on, 1, 7) AS month, o.customer_id, o.total_fen, o.internal_comeback,
                    o.external_comeback, \(unsafeRaw: warranty) AS status
                FROM repair_orders o LEFT JOIN vehicles v ON v.store_id = o.store_id AND v.id = o.vehicle_id
                WHERE o.store_id = \(bind: storeId) AND o.opened_on > \(bind: from.description)
                    AND o.opened_on <= \(bind: asOf.description)
            ) t
            GROUP BY month ORDER BY month
            """
        ).all() {
            months.append(
                WorkshopMonth(
                    month: try row.string("month"), orders: Int(try row.int64("orders")),
                    customers: Int(try row.int64("customers")), revenueFen: try row.int64("revenue"),
                    inWarranty: Int(try row.int64("in_warranty")), outOfWarranty: Int(try row.int64("out_of_warranty")),
                    internalComebacks: Int(try row.int64("internal_comebacks")),
                    externalComebacks: Int(try row.int64("external_comebacks"))))
        }
        var days: [WorkshopDay] = []
        for row in try await db.raw(
            """
            SELECT opened_on, COUNT(*) AS orders, COUNT(DISTINCT customer_id) AS customers FROM repair_orders
            WHERE store_id = \(bind: storeId) AND opened_on > \(bind: asOf.addingDays(-90).description)
                AND opened_on <= \(bind: asOf.description)
            GROUP BY opened_on
            """
        ).all() {
            guard let date = LocalDate(try row.string("opened_on")) else { continue }
            days.append(
                WorkshopDay(
                    date: date, customers: Int(try row.int64("customers")), orders: Int(try row.int64("orders"))))
        }
        var byHour = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for row in try await db.raw(
            """
            SELECT opened_on, opened_minute / 60 AS hour, COUNT(*) AS orders FROM repair_orders
            WHERE store_id = \(bind: storeId) AND opened_on > \(bind: from.description)
                AND opened_on <= \(bind: asOf.description) AND opened_minute IS NOT NULL
            GROUP BY opened_on, opened_minute / 60
            """
        ).all() {
            let hour = Int(try row.int64("hour"))
            guard let date = LocalDate(try row.string("opened_on")), (0..<24).contains(hour) else { continue }
            byHour[WorkshopMetrics.weekday(date)][hour] += Int(try row.int64("orders"))
        }
        return WorkshopMetrics(
            from: from, through: asOf, customers: customers, months: months,
            daily: WorkshopMetrics.filledDays(days, through: asOf), byHour: byHour)
    }
}
