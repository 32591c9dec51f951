import Foundation
import RevisitCore

/// `SegmentRunSQL`'s workshop figures summed in Swift, order by order, during the run's one pass over the
/// store's repair orders on SQLite's direct connection (`SQLiteActivityScan`). The SQL form grouped two
/// million orders three times over computed keys (month, day, hour) with distinct counts and evaluated
/// the warranty rule in text functions per order: 16 of a 1M-customer run's 28 seconds. The rules are
/// the SQL's: months and hours over the value window, days over the last 90, warranty judged on each
/// order's day and mileage by `VehicleSegmentation.warranty`'s rule on the same integer keys.
struct SQLiteWorkshopTally {
    struct Month {
        var orders = 0
        var revenue: Int64 = 0
        var inWarranty = 0
        var outOfWarranty = 0
        var internalComebacks = 0
        var externalComebacks = 0
        var customers: Set<Int64> = []
    }

    let sql: SegmentRunSQL
    let window: Int32
    let recent: Int32
    let span: Int32
    let defaultKm: Int64
    private var months: [Int32: Month] = [:]
    private var days: [Int32: (orders: Int, customers: Set<Int64>)] = [:]
    private var byHour = Array(repeating: Array(repeating: 0, count: 24), count: 7)

    init(sql: SegmentRunSQL) {
        self.sql = sql
        window = SQLiteActivityScan.key(Segmentation.windowStart(asOf: sql.asOf, settings: sql.settings))
        recent = SQLiteActivityScan.key(sql.asOf.addingDays(-90))
        span = Int32(sql.settings.warrantyMonths * 100)
        defaultKm = Int64(sql.settings.warrantyKm)
    }

    /// One order of the store, opened on `day` (YYYYMMDD, at most the as-of day); columns 4–8 of the scan
    /// are its vehicle, open minute, mileage and the two comeback flags.
    mutating func add(_ row: RawRow, day: Int32, customer: Int64?, total: Int64, vehicles: SQLiteVehicleScan) {
        if day > recent {
            days[day, default: (0, [])].orders += 1
            if let customer { days[day, default: (0, [])].customers.insert(customer) }
        }
        guard day > window else { return }
        let vehicle = row.isNull(4) ? nil : vehicles.slots.slot(row.int64(4))
        let status = vehicles.warranty(
            slot: vehicle, day: day, km: row.isNull(6) ? nil : row.int64(6), span: span, defaultKm: defaultKm)
        // Changed in place: a copy taken out and put back would copy its customer set on every order.
        Self.count(&months[day / 100, default: Month()], row, customer: customer, total: total, status: status)
        if !row.isNull(5), let date = SQLiteActivityScan.date(day) {
            let hour = Int(row.int64(5) / 60)
            if (0..<24).contains(hour) { byHour[WorkshopMetrics.weekday(date)][hour] += 1 }
        }
    }

    private static func count(
        _ month: inout Month, _ row: RawRow, customer: Int64?, total: Int64, status: WarrantyStatus
    ) {
        month.orders += 1
        month.revenue += total
        if row.int64(7) != 0 { month.internalComebacks += 1 }
        if row.int64(8) != 0 { month.externalComebacks += 1 }
        if let customer { month.customers.insert(customer) }
        switch status {
        case .inWarranty: month.inWarranty += 1
        case .outOfWarranty: month.outOfWarranty += 1
        case .unknown: break
        }
    }

    /// Adds the figures another thread summed over other orders.
    mutating func add(_ other: SQLiteWorkshopTally) {
        for (key, month) in other.months {
            months[key, default: Month()].orders += month.orders
            months[key]!.revenue += month.revenue
            months[key]!.inWarranty += month.inWarranty
            months[key]!.outOfWarranty += month.outOfWarranty
            months[key]!.internalComebacks += month.internalComebacks
            months[key]!.externalComebacks += month.externalComebacks
            months[key]!.customers.formUnion(month.customers)
        }
        for (key, day) in other.days {
            days[key, default: (0, [])].orders += day.orders
            days[key]!.customers.formUnion(day.customers)
        }
        for weekday in byHour.indices {
            for hour in byHour[weekday].indices { byHour[weekday][hour] += other.byHour[weekday][hour] }
        }
    }

    /// The figures; `customers` is the window's distinct visitors.
    func metrics(customers: Int) -> WorkshopMetrics {
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
            from: Segmentation.windowStart(asOf: sql.asOf, settings: sql.settings), through: sql.asOf,
            customers: customers, months: monthly, daily: WorkshopMetrics.filledDays(daily, through: sql.asOf),
            byHour: byHour)
    }
}
