import Foundation
import RevisitCore

/// `SegmentRunSQL`'s workshop figures summed in Swift from one pass over the window's orders, on
/// SQLite's direct connection. The SQL form grouped two million orders three times over computed keys
/// (month, day, hour) with distinct counts and evaluated the warranty rule in text functions per order:
/// 16 of a 1M-customer run's 28 seconds. Read once in date order with the vehicle joined, the same sums
/// take a few seconds. The orders are read in table order (`NOT INDEXED`): through the open-date index a
/// year's orders are a random read each (rows lie in customer order), 19 s at 1M customers against 4 s
/// for reading them all; an SQLite database is one workshop or a few, so the other stores' rows cost
/// little. The rules are `VehicleSegmentation.warranty`'s, on the same integer keys.
struct SQLiteWorkshopScan {
    let sql: SegmentRunSQL

    struct Month {
        var orders = 0
        var revenue: Int64 = 0
        var inWarranty = 0
        var outOfWarranty = 0
        var internalComebacks = 0
        var externalComebacks = 0
        var customers: Set<Int64> = []
    }

    func read(_ db: SQLiteReader.Connection, customers: Int) throws -> WorkshopMetrics {
        let from = Segmentation.windowStart(asOf: sql.asOf, settings: sql.settings)
        let recent = SQLiteActivityScan.key(sql.asOf.addingDays(-90))
        let warrantySpan = Int32(sql.settings.warrantyMonths * 100)
        let defaultKm = Int64(sql.settings.warrantyKm)
        var months: [Int32: Month] = [:]
        var days: [Int32: (orders: Int, customers: Set<Int64>)] = [:]
        var byHour = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        try db.scan(
            """
            SELECT o.opened_on, o.opened_minute, o.customer_id, o.total_fen, o.mileage_in, o.internal_comeback,
                o.external_comeback, v.id, v.delivery_date, v.warranty_end_date, v.warranty_end_km
            FROM repair_orders o NOT INDEXED
            LEFT JOIN vehicles v ON v.store_id = o.store_id AND v.id = o.vehicle_id
            WHERE o.store_id = ? AND o.opened_on > ? AND o.opened_on <= ?
            """,
            [.int(sql.storeId), .string(from.description), .string(sql.asOf.description)]
        ) { row in
            let day = row.day(0)
            guard day > 0 else { return }
            let customer: Int64? = row.isNull(2) ? nil : row.int64(2)
            let status = Self.warranty(row, day: day, span: warrantySpan, defaultKm: defaultKm)
            // Changed in place: a copy taken out and put back would copy its customer set on every order.
            Self.count(&months[day / 100, default: Month()], row, customer: customer, status: status)
            if day > recent {
                days[day, default: (0, [])].orders += 1
                if let customer { days[day, default: (0, [])].customers.insert(customer) }
            }
            if !row.isNull(1), let date = SQLiteActivityScan.date(day) {
                let hour = Int(row.int64(1) / 60)
                if (0..<24).contains(hour) { byHour[WorkshopMetrics.weekday(date)][hour] += 1 }
            }
        }
        let monthly = months.keys.sorted().map { key in
            let month = months[key]!
            return WorkshopMonth(
                month: String(format: "%04d-%02d", key / 100, key % 100), orders: month.orders,
                customers: month.customers.count, revenueFen: month.revenue, inWarranty: month.inWarranty,
                outOfWarranty: month.outOfWarranty, internalComebacks: month.internalComebacks,
                externalComebacks: month.externalComebacks)
        }
        let daily = days.compactMap { key, value in
            SQLiteActivityScan.date(key).map {
                WorkshopDay(date: $0, customers: value.customers.count, orders: value.orders)
            }
        }
        return WorkshopMetrics(
            from: from, through: sql.asOf, customers: customers, months: monthly,
            daily: WorkshopMetrics.filledDays(daily, through: sql.asOf), byHour: byHour)
    }

    static func count(_ month: inout Month, _ row: RawRow, customer: Int64?, status: WarrantyStatus) {
        month.orders += 1
        month.revenue += row.int64(3)
        if row.int64(5) != 0 { month.internalComebacks += 1 }
        if row.int64(6) != 0 { month.externalComebacks += 1 }
        if let customer { month.customers.insert(customer) }
        switch status {
        case .inWarranty: month.inWarranty += 1
        case .outOfWarranty: month.outOfWarranty += 1
        case .unknown: break
        }
    }

    /// Columns 7–10 are the vehicle's id, delivery, warranty end and end km; 4 the order's mileage.
    static func warranty(_ row: RawRow, day: Int32, span: Int32, defaultKm: Int64) -> WarrantyStatus {
        guard !row.isNull(7) else { return .unknown }
        let end = row.day(9)
        let delivery = row.day(8)
        let byDate: Bool
        if end > 0 {
            byDate = day <= end
        } else if delivery > 0 {
            byDate = monthDayKey(day) < monthDayKey(delivery) + span
        } else {
            return .unknown
        }
        let limit = row.isNull(10) ? defaultKm : row.int64(10)
        let byKm = row.isNull(4) || row.int64(4) < limit
        return byDate && byKm ? .inWarranty : .outOfWarranty
    }

    /// `VehicleSegmentation.monthDayKey` of a YYYYMMDD number.
    static func monthDayKey(_ day: Int32) -> Int32 { ((day / 10_000) * 12 + day / 100 % 100) * 100 + day % 100 }
}
