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
    /// come from the classes just computed. At 100k customers (152k vehicles) 335–445 ms as three
    /// statements, 215–224 ms as one.
    var vehicleClasses: String {
        """
        WITH computed AS (
            SELECT v.id, \(vehicleBand) AS age_band, \(vehicleStatus) AS warranty
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

    /// The age band of `vehicles v` on the as-of day (a boundary belongs to the older band).
    var vehicleBand: String {
        let newAfter = asOf.addingMonths(-12 * settings.ageBandYears[0]).description
        let middleAfter = asOf.addingMonths(-12 * settings.ageBandYears[1]).description
        return """
            CASE WHEN v.delivery_date IS NULL THEN 'unknown'
                WHEN v.delivery_date > '\(newAfter)' THEN '0_1'
                WHEN v.delivery_date > '\(middleAfter)' THEN '1_3'
                ELSE 'over_3' END
            """
    }

    /// The warranty status of `vehicles v` on the as-of day at its own mileage.
    var vehicleStatus: String {
        warranty(day: through, dayKey: String(VehicleSegmentation.monthDayKey(asOf)), km: "v.mileage_km")
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

    /// The workshop figures (DOMAIN §15) in one pass over the orders of the window and of the last 90
    /// days, grouped three ways at once: by month (window orders, warranty judged on each order's day),
    /// by day (every order of the last 90 days) and by day and hour opened (window orders whose time is
    /// known). As three queries each read the window's orders from the heap again (at 1M customers 1.6 M
    /// orders spread over 2 GB), and the planner looped over the vehicles per order: 1.5 + 2.5 + 5.8 s;
    /// as one, with the vehicles hashed, 4.6 s.
    var workshop: String {
        let dayFrom = asOf.addingDays(-90).description
        let from = min(dayFrom, Segmentation.windowStart(asOf: asOf, settings: settings).description)
        let inWindow = "o.opened_on > \(windowFrom)"
        let status = warranty(day: "o.opened_on", dayKey: Self.monthDayKey("o.opened_on"), km: "o.mileage_in")
        return """
            SELECT GROUPING(t.month, t.opened_on, t.hour) AS grouping, t.month, t.opened_on, t.hour,
                COUNT(*) FILTER (WHERE t.in_window) AS orders,
                COUNT(DISTINCT t.customer_id) FILTER (WHERE t.in_window) AS customers,
                COUNT(*) FILTER (WHERE t.recent) AS recent_orders,
                COUNT(DISTINCT t.customer_id) FILTER (WHERE t.recent) AS recent_customers,
                CAST(COALESCE(SUM(t.total_fen) FILTER (WHERE t.in_window), 0) AS BIGINT) AS revenue,
                COUNT(*) FILTER (WHERE t.in_window AND t.status = 'in_warranty') AS in_warranty,
                COUNT(*) FILTER (WHERE t.in_window AND t.status = 'out_of_warranty') AS out_of_warranty,
                CAST(COALESCE(SUM(t.internal_comeback) FILTER (WHERE t.in_window), 0) AS BIGINT) AS internal_comebacks,
                CAST(COALESCE(SUM(t.external_comeback) FILTER (WHERE t.in_window), 0) AS BIGINT) AS external_comebacks
            FROM (
                SELECT substr(o.opened_on, 1, 7) AS month, o.opened_on, o.opened_minute / 60 AS hour, o.customer_id,
                    o.total_fen, o.internal_comeback, o.external_comeback, \(inWindow) AS in_window,
                    o.opened_on > '\(dayFrom)' AS recent, \(status) AS status
                FROM repair_orders o LEFT JOIN vehicles v ON v.store_id = o.store_id AND v.id = o.vehicle_id
                WHERE o.store_id = \(storeId) AND o.opened_on > '\(from)' AND o.opened_on <= \(through)
            ) t
            GROUP BY GROUPING SETS ((t.month), (t.opened_on), (t.opened_on, t.hour))
            """
    }

    /// `workshop`'s rows as one value, decoded on the connection that read them; the window's distinct
    /// visitors (`customers`) are the activity's, set by the run. `GROUPING` tells the three groupings
    /// apart: 3 (only the month grouped), 5 (the day), 4 (the day and hour).
    func workshop(_ rows: [any SQLRow]) throws -> WorkshopMetrics {
        var monthly: [WorkshopMonth] = []
        var daily: [WorkshopDay] = []
        var byHour = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for row in rows {
            let orders = Int(try row.int64("orders"))
            switch try row.int64("grouping") {
            case 3 where orders > 0:
                monthly.append(
                    WorkshopMonth(
                        month: try row.string("month"), orders: orders, customers: Int(try row.int64("customers")),
                        revenueFen: try row.int64("revenue"), inWarranty: Int(try row.int64("in_warranty")),
                        outOfWarranty: Int(try row.int64("out_of_warranty")),
                        internalComebacks: Int(try row.int64("internal_comebacks")),
                        externalComebacks: Int(try row.int64("external_comebacks"))))
            case 5:
                guard let date = LocalDate(try row.string("opened_on")), try row.int64("recent_orders") > 0 else {
                    continue
                }
                daily.append(
                    WorkshopDay(
                        date: date, customers: Int(try row.int64("recent_customers")),
                        orders: Int(try row.int64("recent_orders"))))
            case 4 where orders > 0:
                guard let hour = try row.decode(column: "hour", as: Int64?.self).map(Int.init), (0..<24).contains(hour),
                    let date = LocalDate(try row.string("opened_on"))
                else { continue }
                byHour[WorkshopMetrics.weekday(date)][hour] += orders
            default: continue
            }
        }
        return WorkshopMetrics(
            from: Segmentation.windowStart(asOf: asOf, settings: settings), through: asOf, customers: 0,
            months: monthly.sorted { $0.month < $1.month }, daily: WorkshopMetrics.filledDays(daily, through: asOf),
            byHour: byHour)
    }
}
