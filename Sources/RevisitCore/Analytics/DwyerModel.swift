import Foundation

/// What the Dwyer lifetime-value table (DOMAIN §15) is computed from. A run fills these from the
/// store's own repair orders; a person can override any of them in the page or the API.
public struct DwyerInputs: Sendable, Equatable, Codable {
    /// The cohort: customers whose first visit was in this year.
    public var cohortYear: Int
    public var initialCustomers: Int
    public var retentionRate: Double
    public var visitsPerYear: Double
    public var averageTicket: Double
    /// Parts and labour cost as a share of revenue.
    public var variableCostRate: Double
    /// Yuan per customer still with the store, every year.
    public var marketingCostPerCustomer: Double
    /// Yuan per customer won, in the first year only.
    public var acquisitionCostPerCustomer: Double
    public var discountRate: Double
    public var years: Int
    /// The inputs that came from the store's data (the others are defaults or overrides).
    public var fromData: [String]

    public init(
        cohortYear: Int, initialCustomers: Int, retentionRate: Double = 0.6, visitsPerYear: Double = 2,
        averageTicket: Double = 800, variableCostRate: Double = 0.6, marketingCostPerCustomer: Double = 100,
        acquisitionCostPerCustomer: Double = 300, discountRate: Double = 0.1, years: Int = 5,
        fromData: [String] = []
    ) {
        self.cohortYear = cohortYear
        self.initialCustomers = initialCustomers
        self.retentionRate = retentionRate
        self.visitsPerYear = visitsPerYear
        self.averageTicket = averageTicket
        self.variableCostRate = variableCostRate
        self.marketingCostPerCustomer = marketingCostPerCustomer
        self.acquisitionCostPerCustomer = acquisitionCostPerCustomer
        self.discountRate = discountRate
        self.years = years
        self.fromData = fromData
    }

    /// Inputs a person may set, by name, as the page form and the API query take them.
    public static let overridable = [
        "cohortYear", "initialCustomers", "retentionRate", "visitsPerYear", "averageTicket", "variableCostRate",
        "marketingCostPerCustomer", "acquisitionCostPerCustomer", "discountRate", "years",
    ]

    /// These inputs with `overrides` applied; a value out of its range is refused, naming the field.
    public func overriding(_ overrides: [String: Double]) throws(RevisitError) -> DwyerInputs {
        var inputs = self
        for (field, value) in overrides {
            func check(_ range: ClosedRange<Double>) throws(RevisitError) -> Double {
                guard value.isFinite, range.contains(value) else {
                    throw RevisitError(.validation, code: .invalidValue, field: field, args: ["field": field])
                }
                inputs.fromData.removeAll { $0 == field }
                return value
            }
            switch field {
            case "initialCustomers": inputs.initialCustomers = Int(try check(1...100_000_000))
            case "retentionRate": inputs.retentionRate = try check(0...1)
            case "visitsPerYear": inputs.visitsPerYear = try check(0...365)
            case "averageTicket": inputs.averageTicket = try check(0...10_000_000)
            case "variableCostRate": inputs.variableCostRate = try check(0...1)
            case "marketingCostPerCustomer": inputs.marketingCostPerCustomer = try check(0...10_000_000)
            case "acquisitionCostPerCustomer": inputs.acquisitionCostPerCustomer = try check(0...10_000_000)
            case "discountRate": inputs.discountRate = try check(0...1)
            case "years": inputs.years = Int(try check(1...30))
            default: throw RevisitError(.validation, code: .invalidValue, field: field, args: ["field": field])
            }
        }
        return inputs
    }
}

/// One year of the table. Money in yuan; customer counts are expected values, so fractional.
public struct DwyerRow: Sendable, Equatable, Codable {
    public var year: Int
    public var customers: Double
    public var retentionRate: Double
    public var retained: Double
    public var visitsPerCustomer: Double
    public var averageTicket: Double
    public var revenue: Double
    public var variableCost: Double
    public var marketingCost: Double
    public var acquisitionCost: Double
    public var totalCost: Double
    public var grossProfit: Double
    /// (1 + discount rate)^(year − 1): year 1 is not discounted.
    public var discountFactor: Double
    public var npv: Double
    public var cumulativeNpv: Double
}

public struct DwyerTable: Sendable, Equatable, Codable {
    public var inputs: DwyerInputs
    public var rows: [DwyerRow]
    /// Cumulative NPV of the last year divided by the initial customers.
    public var clv: Double

    /// Dwyer's retention model: each year starts with the customers retained from the year before.
    public init(_ inputs: DwyerInputs) {
        self.inputs = inputs
        var rows: [DwyerRow] = []
        var customers = Double(inputs.initialCustomers)
        var cumulative = 0.0
        for year in 1...max(inputs.years, 1) {
            let revenue = customers * inputs.visitsPerYear * inputs.averageTicket
            let variable = revenue * inputs.variableCostRate
            let marketing = customers * inputs.marketingCostPerCustomer
            let acquisition = year == 1 ? Double(inputs.initialCustomers) * inputs.acquisitionCostPerCustomer : 0
            let total = variable + marketing + acquisition
            let factor = pow(1 + inputs.discountRate, Double(year - 1))
            let npv = (revenue - total) / factor
            cumulative += npv
            let retained = customers * inputs.retentionRate
            rows.append(
                DwyerRow(
                    year: year, customers: customers, retentionRate: inputs.retentionRate, retained: retained,
                    visitsPerCustomer: inputs.visitsPerYear, averageTicket: inputs.averageTicket, revenue: revenue,
                    variableCost: variable, marketingCost: marketing, acquisitionCost: acquisition, totalCost: total,
                    grossProfit: revenue - total, discountFactor: factor, npv: npv, cumulativeNpv: cumulative))
            customers = retained
        }
        self.rows = rows
        clv = inputs.initialCustomers > 0 ? cumulative / Double(inputs.initialCustomers) : 0
    }
}
