import Foundation

/// How many customers moved from one class to another in a run: `value["B"]["C"]` customers went from
/// B to C; "new" is the source for customers the run before did not know.
public struct SegmentMoves: Sendable, Equatable, Codable {
    public var value: [String: [String: Int]] = [:]
    public var churnStage: [String: [String: Int]] = [:]

    public init() {}

    public mutating func add(fromValue: String?, toValue: String, fromStage: String?, toStage: String) {
        if fromValue != toValue { value[fromValue ?? "new", default: [:]][toValue, default: 0] += 1 }
        if fromStage != toStage { churnStage[fromStage ?? "new", default: [:]][toStage, default: 0] += 1 }
    }
}

/// A store's analytics as of a run, computed during the run so dashboards read one row.
public struct StoreMetrics: Sendable, Equatable, Codable {
    public var asOf: LocalDate
    public var churn: [YearChurn]
    public var fiveYearChurn: [YearChurn]
    /// Loyal customers (DOMAIN §3's loyalty) among those who visited in the value window.
    public var loyal: Int
    public var visitedInWindow: Int
    public var loyalShare: Double?
    public var cohorts: [CohortRow]
    public var newCustomers: [YearCount]
    public var clv: DwyerInputs
    public var workshop: WorkshopMetrics
    /// Vehicles by age band, then warranty status.
    public var vehicles: [String: [String: Int]]
    public var moves: SegmentMoves

    public init(
        asOf: LocalDate, churn: [YearChurn], fiveYearChurn: [YearChurn], loyal: Int, visitedInWindow: Int,
        cohorts: [CohortRow], newCustomers: [YearCount], clv: DwyerInputs, workshop: WorkshopMetrics,
        vehicles: [String: [String: Int]],
        moves: SegmentMoves
    ) {
        self.asOf = asOf
        self.churn = churn
        self.fiveYearChurn = fiveYearChurn
        self.loyal = loyal
        self.visitedInWindow = visitedInWindow
        loyalShare = visitedInWindow > 0 ? Double(loyal) / Double(visitedInWindow) : nil
        self.cohorts = cohorts
        self.newCustomers = newCustomers
        self.clv = clv
        self.workshop = workshop
        self.vehicles = vehicles
        self.moves = moves
    }

    /// The Dwyer table from the run's inputs with a person's overrides. Another cohort year starts from
    /// that year's new customers unless the initial count is given too.
    public func lifetimeValue(overrides: [String: Double] = [:]) throws(RevisitError) -> DwyerTable {
        var inputs = clv
        var rest = overrides
        if let year = rest.removeValue(forKey: "cohortYear") {
            guard year.isFinite, year == year.rounded(), (1900...2200).contains(year) else {
                throw RevisitError(.validation, code: .invalidValue, field: "cohortYear", args: ["field": "cohortYear"])
            }
            inputs.cohortYear = Int(year)
            inputs.initialCustomers = newCustomers.first { $0.year == inputs.cohortYear }?.customers ?? 0
        }
        return DwyerTable(try inputs.overriding(rest))
    }
}
