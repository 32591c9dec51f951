import Foundation

/// In-shop traffic of one day: distinct customers and repair orders opened.
public struct WorkshopDay: Sendable, Equatable, Codable {
    public var date: LocalDate
    public var customers: Int
    public var orders: Int

    public init(date: LocalDate, customers: Int, orders: Int) {
        self.date = date
        self.customers = customers
        self.orders = orders
    }
}

/// One calendar month of the workshop.
public struct WorkshopMonth: Sendable, Equatable, Codable {
    /// "YYYY-MM".
    public var month: String
    public var orders: Int
    public var customers: Int
    public var revenueFen: Int64
    /// Orders by the vehicle's warranty status on their open day; the rest are unknown.
    public var inWarranty: Int
    public var outOfWarranty: Int
    public var internalComebacks: Int
    public var externalComebacks: Int
    public var averageTicketFen: Int64

    public init(
        month: String, orders: Int, customers: Int, revenueFen: Int64, inWarranty: Int, outOfWarranty: Int,
        internalComebacks: Int, externalComebacks: Int
    ) {
        self.month = month
        self.orders = orders
        self.customers = customers
        self.revenueFen = revenueFen
        self.inWarranty = inWarranty
        self.outOfWarranty = outOfWarranty
        self.internalComebacks = internalComebacks
        self.externalComebacks = externalComebacks
        averageTicketFen = orders > 0 ? revenueFen / Int64(orders) : 0
    }
}

/// Workshop analytics (DOMAIN §15) over the value window, as of a run's day. Warranty is the vehicle's
/// status on the day the order was opened.
public struct WorkshopMetrics: Sendable, Equatable, Codable {
    /// The window is (from, through].
    public var from: LocalDate
    public var through: LocalDate
    public var orders: Int
    public var customers: Int
    public var revenueFen: Int64
    public var averageTicketFen: Int64
    /// Orders by the vehicle's warranty status on their open day.
    public var warranty: [String: Int]
    public var internalComebacks: Int
    public var externalComebacks: Int
    /// The last 90 days, every day present.
    public var daily: [WorkshopDay]
    public var monthly: [WorkshopMonth]
    /// Orders opened by weekday (Monday first) and hour of day; only orders whose time is known.
    public var byHour: [[Int]]

    /// Totals are the months' sums; `customers` is the window's distinct visitors (a customer who came in
    /// two months counts once).
    public init(
        from: LocalDate, through: LocalDate, customers: Int = 0, months: [WorkshopMonth] = [],
        daily: [WorkshopDay] = [], byHour: [[Int]] = Array(repeating: Array(repeating: 0, count: 24), count: 7)
    ) {
        self.from = from
        self.through = through
        self.customers = customers
        orders = months.reduce(0) { $0 + $1.orders }
        revenueFen = months.reduce(Int64(0)) { $0 + $1.revenueFen }
        averageTicketFen = orders > 0 ? revenueFen / Int64(orders) : 0
        let inside = months.reduce(0) { $0 + $1.inWarranty }
        let outside = months.reduce(0) { $0 + $1.outOfWarranty }
        warranty = [
            WarrantyStatus.inWarranty.rawValue: inside, WarrantyStatus.outOfWarranty.rawValue: outside,
            WarrantyStatus.unknown.rawValue: orders - inside - outside,
        ]
        internalComebacks = months.reduce(0) { $0 + $1.internalComebacks }
        externalComebacks = months.reduce(0) { $0 + $1.externalComebacks }
        self.daily = daily
        self.monthly = months
        self.byHour = byHour
    }

    /// Every day of the last `days` up to `through`, zero where the shop saw nobody.
    public static func filledDays(_ days: [WorkshopDay], through: LocalDate, count: Int = 90) -> [WorkshopDay] {
        let byDate = Dictionary(days.map { ($0.date, $0) }) { first, _ in first }
        return (0..<count).reversed().map { back in
            let date = through.addingDays(-back)
            return byDate[date] ?? WorkshopDay(date: date, customers: 0, orders: 0)
        }
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    public static func weekday(_ date: LocalDate) -> Int { ((date.dayNumber % 7) + 10) % 7 }
}
