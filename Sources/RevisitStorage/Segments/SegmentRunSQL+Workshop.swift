import Foundation
import RevisitCore
import SQLKit

/// The per-vehicle classes and the workshop figures of a run, summed in SQL: they read every vehicle and
/// every order of the window, and only small totals come back.
extension SegmentRunSQL {
    /// `VehicleSegmentation.monthDayKey` of a 'YYYY-MM-DD' column.
    static func monthDayKey(_ column: String) -> String {
        "((CAST(substr(\(column), 1, 4) AS INTEGER) * 12 + CAST(substr(\(column), 6, 2) AS INTEGER)) * 100"
            + " + CAST(substr(\(column), 9, 2) AS INTEGER))"
    }

    /// `VehicleSegmentation.warranty` over `vehicles v`, on the day `day` (a column or a quoted day, with
    /// its key) at `km` (a column).
    func warranty(day: String, dayKey: String, km: String) -> String {
        """
        CASE WHEN v.id IS NULL OR (v.warranty_end_date IS NULL AND v.delivery_date IS NULL) THEN 'unknown'
            WHEN (CASE WHEN v.warranty_end_date IS NOT NULL THEN \(day) <= v.warranty_end_date
                    ELSE \(dayKey) < \(Self.monthDayKey("v.delivery_date")) + \(settings.warrantyMonths * 100) END)
                AND (\(km) IS NULL OR \(km) < COALESCE(v.warranty_end_km, \(settings.warrantyKm)))
            THEN 'in_warranty' ELSE 'out_of_warranty' END
        """
    }

    /// Every vehicle's age band (a boundary belongs to the older band) and warranty status on the as-of
    /// day, written only where they changed, the classes of vehicles gone deleted, and the store's
    /// vehicles counted by band and status, in one statement: the vehicles and the kept classes are each
    /// read once, compared in one join (a key probe per vehicle in the upsert cost more), and the counts
    /// come from the classes just computed. At 100k customers (152k vehicles) 287 ms as three statements,
    /// 199 ms as one.
    var vehicleClasses: String {
        let newAfter = asOf.addingMonths(-12 * settings.ageBandYears[0]).description
        let middleAfter = asOf.addingMonths(-12 * settings.ageBandYears[1]).description
        let status = warranty(
            day: through, dayKey: String(VehicleSegmentation.monthDayKey(asOf)), km: "v.mileage_km")
        return """
            WITH computed AS (
                SELECT v.id,
                    CASE WHEN v.delivery_date IS NULL THEN 'unknown'
                        WHEN v.delivery_date > '\(newAfter)' THEN '0_1'
                        WHEN v.delivery_date > '\(middleAfter)' THEN '1_3'
                        ELSE 'over_3' END AS age_band,
                    \(status) AS warranty
                FROM vehicles v WHERE v.store_id = \(storeId)
            ), differing AS (
                SELECT n.id, n.age_band, n.warranty, s.vehicle_id AS kept
                FROM computed n
                FULL JOIN (SELECT vehicle_id, age_band, warranty FROM vehicle_segments WHERE store_id = \(storeId)) s
                    ON s.vehicle_id = n.id
                WHERE n.id IS NULL OR s.vehicle_id IS NULL OR s.age_band <> n.age_band OR s.warranty <> n.warranty
            ), written AS (
                INSERT INTO vehicle_segments (store_id, vehicle_id, age_band, warranty)
                SELECT \(storeId), d.id, d.age_band, d.warranty FROM differing d WHERE d.id IS NOT NULL
                \(Self.vehicleConflict)
            ), gone AS (
                DELETE FROM vehicle_segments WHERE store_id = \(storeId)
                    AND vehicle_id IN (SELECT d.kept FROM differing d WHERE d.id IS NULL)
            )
            SELECT age_band, warranty, COUNT(*) AS vehicles FROM computed GROUP BY age_band, warranty
            """
    }

    /// Every band with every status at zero.
    static var noVehicles: [String: [String: Int]] {
        Dictionary(
            uniqueKeysWithValues: AgeBand.allCases.map { band in
                (band.rawValue, Dictionary(uniqueKeysWithValues: WarrantyStatus.allCases.map { ($0.rawValue, 0) }))
            })
    }

    /// Vehicles by age band, then warranty status, every band and status present.
    static func vehicles(_ rows: [any SQLRow]) throws -> [String: [String: Int]] {
        var counts = noVehicles
        for row in rows {
            counts[try row.string("age_band"), default: [:]][try row.string("warranty")] = Int(
                try row.int64("vehicles"))
        }
        return counts
    }

    var ordersInWindow: String {
        "o.store_id = \(storeId) AND o.opened_on > \(windowFrom) AND o.opened_on <= \(through)"
    }

    /// The workshop by month over the value window (DOMAIN §15), warranty judged on each order's day.
    var workshopMonths: String {
        let status = warranty(day: "o.opened_on", dayKey: Self.monthDayKey("o.opened_on"), km: "o.mileage_in")
        return """
            SELECT month, COUNT(*) AS orders, COUNT(DISTINCT customer_id) AS customers,
                CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) AS revenue,
                CAST(SUM(CASE WHEN status = 'in_warranty' THEN 1 ELSE 0 END) AS BIGINT) AS in_warranty,
                CAST(SUM(CASE WHEN status = 'out_of_warranty' THEN 1 ELSE 0 END) AS BIGINT) AS out_of_warranty,
                CAST(SUM(internal_comeback) AS BIGINT) AS internal_comebacks,
                CAST(SUM(external_comeback) AS BIGINT) AS external_comebacks
            FROM (
                SELECT substr(o.opened_on, 1, 7) AS month, o.customer_id, o.total_fen, o.internal_comeback,
                    o.external_comeback, \(status) AS status
                FROM repair_orders o LEFT JOIN vehicles v ON v.store_id = o.store_id AND v.id = o.vehicle_id
                WHERE \(ordersInWindow)
            ) t
            GROUP BY month ORDER BY month
            """
    }

    /// In-shop customers and orders per day, the last 90 days.
    var workshopDays: String {
        """
        SELECT o.opened_on, COUNT(*) AS orders, COUNT(DISTINCT o.customer_id) AS customers FROM repair_orders o
        WHERE o.store_id = \(storeId) AND o.opened_on > '\(asOf.addingDays(-90).description)'
            AND o.opened_on <= \(through)
        GROUP BY o.opened_on
        """
    }

    /// Orders by day and hour opened, over the window; only orders whose time is known.
    var workshopHours: String {
        """
        SELECT o.opened_on, o.opened_minute / 60 AS hour, COUNT(*) AS orders FROM repair_orders o
        WHERE \(ordersInWindow) AND o.opened_minute IS NOT NULL
        GROUP BY o.opened_on, o.opened_minute / 60
        """
    }

    /// The three workshop results as one value; `customers` is the window's distinct visitors.
    func workshop(
        months: [any SQLRow], days: [any SQLRow], hours: [any SQLRow], customers: Int
    ) throws
        -> WorkshopMetrics
    {
        let monthly = try months.map { row in
            WorkshopMonth(
                month: try row.string("month"), orders: Int(try row.int64("orders")),
                customers: Int(try row.int64("customers")), revenueFen: try row.int64("revenue"),
                inWarranty: Int(try row.int64("in_warranty")), outOfWarranty: Int(try row.int64("out_of_warranty")),
                internalComebacks: Int(try row.int64("internal_comebacks")),
                externalComebacks: Int(try row.int64("external_comebacks")))
        }
        let daily = try days.compactMap { row in
            try LocalDate(try row.string("opened_on")).map {
                WorkshopDay(date: $0, customers: Int(try row.int64("customers")), orders: Int(try row.int64("orders")))
            }
        }
        var byHour = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for row in hours {
            let hour = Int(try row.int64("hour"))
            guard let date = LocalDate(try row.string("opened_on")), (0..<24).contains(hour) else { continue }
            byHour[WorkshopMetrics.weekday(date)][hour] += Int(try row.int64("orders"))
        }
        return WorkshopMetrics(
            from: Segmentation.windowStart(asOf: asOf, settings: settings), through: asOf, customers: customers,
            months: monthly, daily: WorkshopMetrics.filledDays(daily, through: asOf), byHour: byHour)
    }
}
