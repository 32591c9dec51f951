import Foundation

/// Customers by the quarter of their first visit, and how many of them visited again in each later
/// quarter: `retained[k]` counts the cohort's customers with a visit k quarters after the first
/// (`retained[0]` is the cohort itself).
public struct CohortRow: Sendable, Equatable, Codable {
    public var quarter: String
    public var customers: Int
    public var retained: [Int]
    public var shares: [Double]

    public init(quarter: String, retained: [Int]) {
        self.quarter = quarter
        self.retained = retained
        customers = retained.first ?? 0
        let size = Double(max(customers, 1))
        shares = retained.map { Double($0) / size }
    }
}

public enum CohortRetention {
    /// Quarters are numbered year × 4 + (month − 1) / 3, as storage groups them.
    public static func quarterIndex(_ date: LocalDate) -> Int { date.year * 4 + (date.month - 1) / 3 }

    public static func label(_ index: Int) -> String { "\(index / 4)Q\(index % 4 + 1)" }

    /// The last `quarters` cohorts up to the as-of quarter, oldest first, each with one count per
    /// quarter from its first up to the as-of quarter (zero where nobody came).
    public static func rows(
        _ counts: [(first: Int, offset: Int, customers: Int)], asOf: LocalDate, quarters: Int = 12
    ) -> [CohortRow] {
        let last = quarterIndex(asOf)
        let firstShown = last - quarters + 1
        var byCohort: [Int: [Int: Int]] = [:]
        for count in counts where count.first >= firstShown && count.first <= last {
            byCohort[count.first, default: [:]][count.offset, default: 0] += count.customers
        }
        return byCohort.keys.sorted().map { first in
            let offsets = byCohort[first]!
            return CohortRow(quarter: label(first), retained: (0...(last - first)).map { offsets[$0] ?? 0 })
        }
    }
}
