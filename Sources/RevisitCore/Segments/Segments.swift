import Foundation

/// The value pyramid (客户金字塔): A (VIP), B (major), C (ordinary), D (small).
public enum ValueClass: String, Sendable, Codable, CaseIterable {
    case a = "A"
    case b = "B"
    case c = "C"
    case d = "D"

    /// A, B and C are the top 20 % by value: the "high value" side of the quadrant.
    public var isHighValue: Bool { self != .d }
}

/// Loyalty × value (DOMAIN §3).
public enum Quadrant: String, Sendable, Codable, CaseIterable {
    case core, potential, regular, marginal

    public init(highValue: Bool, loyal: Bool) {
        switch (highValue, loyal) {
        case (true, true): self = .core
        case (true, false): self = .potential
        case (false, true): self = .regular
        case (false, false): self = .marginal
        }
    }
}

/// Months since the last visit (流失分级); `none` for a customer who never came.
public enum ChurnStage: String, Sendable, Codable, CaseIterable {
    case active
    case semiChurned = "semi_churned"
    case atRisk = "at_risk"
    case churned
    case lost
    case none
}

/// Recency, frequency and monetary quintile scores, 1 (worst) to 5 (best).
public struct RFMScore: Sendable, Equatable, Codable {
    public var r: Int
    public var f: Int
    public var m: Int

    public init(r: Int, f: Int, m: Int) {
        self.r = r
        self.f = f
        self.m = m
    }
}

/// One customer's classes as of a day.
public struct CustomerSegments: Sendable, Equatable, Codable {
    public var value: ValueClass
    public var quadrant: Quadrant
    public var rfm: RFMScore
    public var churnStage: ChurnStage
    public var asOf: LocalDate

    public init(value: ValueClass, quadrant: Quadrant, rfm: RFMScore, churnStage: ChurnStage, asOf: LocalDate) {
        self.value = value
        self.quadrant = quadrant
        self.rfm = rfm
        self.churnStage = churnStage
        self.asOf = asOf
    }
}
