import Foundation

/// A store's churn for one year (DOMAIN §3): of the customers who visited in the base year, how many did
/// not visit in `year`. The base year is the year before for annual churn, five years before for
/// five-year churn.
public struct YearChurn: Sendable, Equatable, Codable {
    public var year: Int
    public var base: Int
    public var churned: Int
    /// nil when nobody visited in the base year.
    public var rate: Double?
    public var retention: Double?
    /// `year` is the as-of year: customers who have not come back yet may still come.
    public var partial: Bool

    public init(year: Int, base: Int, churned: Int, partial: Bool) {
        self.year = year
        self.base = base
        self.churned = churned
        self.partial = partial
        rate = base == 0 ? nil : Double(churned) / Double(base)
        retention = rate.map { 1 - $0 }
    }
}

/// Visits of one base year and how many of its customers came back later, as storage counts them.
public struct VisitYear: Sendable, Equatable {
    public var year: Int
    public var customers: Int
    public var visitedNextYear: Int
    public var visitedFiveYearsLater: Int

    public init(year: Int, customers: Int, visitedNextYear: Int, visitedFiveYearsLater: Int) {
        self.year = year
        self.customers = customers
        self.visitedNextYear = visitedNextYear
        self.visitedFiveYearsLater = visitedFiveYearsLater
    }
}

public enum ChurnRates {
    /// Churn for every year up to the as-of year that has a base year with visits, oldest first.
    public static func annual(_ years: [VisitYear], asOf: LocalDate) -> [YearChurn] {
        rates(years, after: 1, asOf: asOf, returned: \.visitedNextYear)
    }

    public static func fiveYear(_ years: [VisitYear], asOf: LocalDate) -> [YearChurn] {
        rates(years, after: 5, asOf: asOf, returned: \.visitedFiveYearsLater)
    }

    static func rates(
        _ years: [VisitYear], after: Int, asOf: LocalDate, returned: KeyPath<VisitYear, Int>
    ) -> [YearChurn] {
        years.filter { $0.year + after <= asOf.year && $0.customers > 0 }
            .sorted { $0.year < $1.year }
            .map {
                YearChurn(
                    year: $0.year + after, base: $0.customers, churned: $0.customers - $0[keyPath: returned],
                    partial: $0.year + after == asOf.year)
            }
    }
}
