import Foundation

/// New customers (first visit ever) in one year: the cohorts the lifetime-value table can start from.
public struct YearCount: Sendable, Equatable, Codable {
    public var year: Int
    public var customers: Int

    public init(year: Int, customers: Int) {
        self.year = year
        self.customers = customers
    }
}

/// The store metrics a run keeps, from every customer's activity and classes. Pure, so the rules are
/// tested without a database and a second computation can check storage's sums.
public enum StoreAnalytics {
    public static func visitYears(_ activities: [CustomerActivity], asOf: LocalDate) -> [VisitYear] {
        let base = VisitBits.firstYear(asOf: asOf)
        var years = Array(
            repeating: VisitYear(year: 0, customers: 0, visitedNextYear: 0, visitedFiveYearsLater: 0),
            count: VisitBits.years)
        for index in years.indices { years[index].year = base + index }
        for activity in activities where activity.yearBits != 0 {
            for bit in 0..<VisitBits.years where VisitBits.has(activity.yearBits, bit) {
                years[bit].customers += 1
                if VisitBits.has(activity.yearBits, bit + 1) { years[bit].visitedNextYear += 1 }
                if VisitBits.has(activity.yearBits, bit + 5) { years[bit].visitedFiveYearsLater += 1 }
            }
        }
        return years.filter { $0.customers > 0 }
    }

    /// Customers by the quarter of their first visit, with a count per later quarter that had a visit.
    public static func cohorts(_ activities: [CustomerActivity], asOf: LocalDate, quarters: Int = 12) -> [CohortRow] {
        let base = VisitBits.firstQuarter(asOf: asOf)
        let last = CohortRetention.quarterIndex(asOf)
        let shown = max(1, min(quarters, VisitBits.quarters))
        var counts: [Int: [Int]] = [:]
        for activity in activities {
            guard let first = activity.firstVisit.map(CohortRetention.quarterIndex), first > last - shown,
                first <= last
            else { continue }
            var row = counts[first] ?? Array(repeating: 0, count: last - first + 1)
            for offset in 0...(last - first) where VisitBits.has(activity.quarterBits, first + offset - base) {
                row[offset] += 1
            }
            counts[first] = row
        }
        return counts.keys.sorted().map { CohortRow(quarter: CohortRetention.label($0), retained: counts[$0]!) }
    }

    public static func newCustomers(_ activities: [CustomerActivity]) -> [YearCount] {
        var byYear: [Int: Int] = [:]
        for activity in activities { if let first = activity.firstVisit { byYear[first.year, default: 0] += 1 } }
        return byYear.keys.sorted().map { YearCount(year: $0, customers: byYear[$0]!) }
    }

    /// The Dwyer inputs the store's own data gives: the cohort of the last complete year, the average
    /// retention of up to three complete years, visits, ticket and cost share over the value window.
    /// Marketing, acquisition and discount rates have no source in repair orders: they keep defaults.
    public static func lifetimeInputs(
        _ activities: [CustomerActivity], churn: [YearChurn], newCustomers: [YearCount], asOf: LocalDate
    ) -> DwyerInputs {
        let cohortYear = asOf.year - 1
        var inputs = DwyerInputs(
            cohortYear: cohortYear, initialCustomers: newCustomers.first { $0.year == cohortYear }?.customers ?? 0)
        var fromData = ["initialCustomers"]
        let complete = churn.filter { !$0.partial }.suffix(3).compactMap(\.retention)
        if !complete.isEmpty {
            inputs.retentionRate = complete.reduce(0, +) / Double(complete.count)
            fromData.append("retentionRate")
        }
        let visitors = activities.filter { $0.windowVisits > 0 }
        let visits = visitors.reduce(0) { $0 + $1.windowVisits }
        let revenue = visitors.reduce(Int64(0)) { $0 + $1.windowRevenueFen }
        let cost = visitors.reduce(Int64(0)) { $0 + $1.windowCostFen }
        if !visitors.isEmpty {
            inputs.visitsPerYear = Double(visits) / Double(visitors.count)
            inputs.averageTicket = Double(revenue) / Double(visits) / 100
            fromData += ["visitsPerYear", "averageTicket"]
        }
        if revenue > 0, cost > 0 {
            inputs.variableCostRate = min(1, Double(cost) / Double(revenue))
            fromData.append("variableCostRate")
        }
        inputs.fromData = fromData
        return inputs
    }

    /// Everything but the workshop and vehicle figures, which storage sums in SQL.
    public static func metrics(
        _ activities: [CustomerActivity], asOf: LocalDate, settings: SegmentSettings, workshop: WorkshopMetrics,
        vehicles: [String: [String: Int]], moves: SegmentMoves
    ) -> StoreMetrics {
        let years = visitYears(activities, asOf: asOf)
        let churn = ChurnRates.annual(years, asOf: asOf)
        let newCustomers = newCustomers(activities)
        // The loyal are the core and regular quadrants; counted by the rule itself, so the analytics need
        // not wait for the classes.
        let loyalAfter = Segmentation.loyalAfter(asOf: asOf, settings: settings)
        let loyal = activities.count { Segmentation.isLoyal($0, after: loyalAfter, settings: settings) }
        return StoreMetrics(
            asOf: asOf, churn: churn, fiveYearChurn: ChurnRates.fiveYear(years, asOf: asOf), loyal: loyal,
            visitedInWindow: activities.filter { $0.windowVisits > 0 }.count,
            cohorts: cohorts(activities, asOf: asOf), newCustomers: newCustomers,
            clv: lifetimeInputs(activities, churn: churn, newCustomers: newCustomers, asOf: asOf),
            workshop: workshop, vehicles: vehicles, moves: moves)
    }
}
