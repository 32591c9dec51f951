import Foundation

/// A customer's visited years and quarters as bit sets, so storage sums them in the same single pass
/// over the repair orders that gives the classes (no second pass per metric). Bit k of the year set is
/// the year `firstYear + k`; bit k of the quarter set is the quarter `firstQuarter + k`.
public enum VisitBits {
    /// 62 years back from the as-of year: a set stays a positive 64-bit integer.
    public static let years = 62
    /// Ten years of quarters: cohorts are shown for the last 12 quarters, movement for longer.
    public static let quarters = 40

    public static func firstYear(asOf: LocalDate) -> Int { asOf.year - years + 1 }

    public static func firstQuarter(asOf: LocalDate) -> Int {
        CohortRetention.quarterIndex(asOf) - quarters + 1
    }

    public static func has(_ bits: Int64, _ bit: Int) -> Bool {
        bit >= 0 && bit < 63 && bits & (Int64(1) << Int64(bit)) != 0
    }
}
