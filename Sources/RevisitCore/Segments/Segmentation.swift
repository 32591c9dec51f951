import Foundation

/// What the classes are computed from, per customer of a store: repair orders counted at their open
/// date, those in the value window summed, the last visit up to the as-of date.
public struct CustomerActivity: Sendable, Equatable {
    public var customerId: Int64
    public var windowRevenueFen: Int64
    public var windowCostFen: Int64
    public var windowVisits: Int
    public var lastVisit: LocalDate?
    /// What the store analytics read besides the classes: the first visit, and the years and quarters
    /// with a visit as `VisitBits` sets.
    public var firstVisit: LocalDate?
    public var yearBits: Int64
    public var quarterBits: Int64

    public init(
        customerId: Int64, windowRevenueFen: Int64 = 0, windowCostFen: Int64 = 0, windowVisits: Int = 0,
        lastVisit: LocalDate? = nil, firstVisit: LocalDate? = nil, yearBits: Int64 = 0, quarterBits: Int64 = 0
    ) {
        self.customerId = customerId
        self.windowRevenueFen = windowRevenueFen
        self.windowCostFen = windowCostFen
        self.windowVisits = windowVisits
        self.lastVisit = lastVisit
        self.firstVisit = firstVisit
        self.yearBits = yearBits
        self.quarterBits = quarterBits
    }
}

/// DOMAIN §3's classes, computed for every customer of a store at once (the pyramid and the quintiles
/// rank customers against each other). Pure: the as-of day is given.
public enum Segmentation {
    /// The value window is (this day, as-of]: calendar months back, clamped to a shorter month's end.
    public static func windowStart(asOf: LocalDate, settings: SegmentSettings) -> LocalDate {
        asOf.addingMonths(-settings.windowMonths)
    }

    /// Loyal (DOMAIN §3): enough visits in the value window, and the last one after this day.
    public static func loyalAfter(asOf: LocalDate, settings: SegmentSettings) -> LocalDate {
        asOf.addingMonths(-settings.loyalMonths)
    }

    public static func isLoyal(_ customer: CustomerActivity, after day: LocalDate, settings: SegmentSettings) -> Bool {
        customer.windowVisits >= settings.loyalVisits && (customer.lastVisit.map { $0 > day } ?? false)
    }

    public static func classify(
        _ customers: [CustomerActivity], asOf: LocalDate, settings: SegmentSettings = SegmentSettings()
    ) -> [CustomerSegments] {
        let values = customers.map { customer in
            switch settings.valueBasis {
            case .revenue: customer.windowRevenueFen
            case .grossProfit: customer.windowRevenueFen - customer.windowCostFen
            }
        }
        let classes = valueClasses(values, sharesPercent: settings.topSharesPercent)
        // Recency: a later last visit is better; never is worst of all.
        let recency = quintiles(customers.map { $0.lastVisit.map { Int64($0.dayNumber) } ?? Int64.min })
        let frequency = quintiles(customers.map { Int64($0.windowVisits) })
        let monetary = quintiles(customers.map(\.windowRevenueFen))
        let loyalAfter = loyalAfter(asOf: asOf, settings: settings)
        return customers.indices.map { index in
            let customer = customers[index]
            let loyal = isLoyal(customer, after: loyalAfter, settings: settings)
            return CustomerSegments(
                value: classes[index], quadrant: Quadrant(highValue: classes[index].isHighValue, loyal: loyal),
                rfm: RFMScore(r: recency[index], f: frequency[index], m: monetary[index]),
                churnStage: churnStage(lastVisit: customer.lastVisit, asOf: asOf, settings: settings), asOf: asOf)
        }
    }

    /// The pyramid over `values` (one per customer of the store, N = all of them). The first
    /// ceil(1 % of N) by value are A, down to ceil(5 %) B and ceil(20 %) C (cumulative shares); a
    /// customer tied with the last one of a class is in that class too; nothing earned (zero or less)
    /// is D whatever the ranks.
    public static func valueClasses(_ values: [Int64], sharesPercent: [Int] = [1, 5, 20]) -> [ValueClass] {
        let count = values.count
        guard count > 0 else { return [] }
        let sorted = values.sorted(by: >)
        // The value at each cumulative cut: anything at or above it is in that class or a higher one.
        let cuts = sharesPercent.map { share -> Int64 in
            let take = min(count, (share * count + 99) / 100)
            return take > 0 ? sorted[take - 1] : Int64.max
        }
        let classes: [ValueClass] = [.a, .b, .c]
        return values.map { value in
            guard value > 0 else { return .d }
            for (cut, valueClass) in zip(cuts, classes) where value >= cut { return valueClass }
            return .d
        }
    }

    /// Quintile scores 1–5 of `keys` (higher is better): a key scores 1 + ⌊5 × (keys below it) / n⌋, so
    /// equal keys score the same.
    public static func quintiles(_ keys: [Int64]) -> [Int] {
        let count = keys.count
        guard count > 0 else { return [] }
        let sorted = keys.sorted()
        var below: [Int64: Int] = [:]
        var index = 0
        while index < count {
            let key = sorted[index]
            below[key] = index
            while index < count && sorted[index] == key { index += 1 }
        }
        return keys.map { key in min(5, 1 + 5 * below[key]! / count) }
    }

    /// Months since the last visit; each boundary belongs to the older stage (a visit exactly 6 months
    /// before the as-of day is semi-churned).
    public static func churnStage(lastVisit: LocalDate?, asOf: LocalDate, settings: SegmentSettings) -> ChurnStage {
        guard let lastVisit else { return .none }
        let stages: [ChurnStage] = [.active, .semiChurned, .atRisk, .churned]
        for (months, stage) in zip(settings.churnMonths, stages) where lastVisit > asOf.addingMonths(-months) {
            return stage
        }
        return .lost
    }
}
