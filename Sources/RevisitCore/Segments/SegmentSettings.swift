import Foundation

/// A store's segmentation thresholds; every default is DOMAIN §3's.
public struct SegmentSettings: Sendable, Equatable, Codable {
    public enum ValueBasis: String, Sendable, Codable, CaseIterable {
        case revenue
        case grossProfit = "gross_profit"
    }

    public var valueBasis: ValueBasis = .revenue
    /// The value window: (as-of − this many calendar months, as-of].
    public var windowMonths = 12
    /// Cumulative shares of the customers: A, A+B, A+B+C (percent).
    public var topSharesPercent = [1, 5, 20]
    /// Loyal: at least this many visits in the window, and the last one less than `loyalMonths` ago.
    public var loyalVisits = 2
    public var loyalMonths = 6
    /// Churn stage boundaries in months since the last visit: semi-churned, at risk, churned, lost.
    public var churnMonths = [6, 9, 12, 24]
    /// Vehicle age bands in years since delivery: 0–1, 1–3, over 3.
    public var ageBandYears = [1, 3]
    /// The warranty when the DMS gives no end date: China's 三包 rules require at least 3 years or
    /// 60,000 km of 包修期, whichever comes first.
    public var warrantyMonths = 36
    public var warrantyKm = 60_000
    /// The nightly run inside `serve`, at this store-local hour.
    public var nightlyRun = true
    public var nightlyHour = 2

    public init() {}

    /// Any field left out keeps DOMAIN's default, so a change can name only what it changes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SegmentSettings()
        valueBasis = try container.decodeIfPresent(ValueBasis.self, forKey: .valueBasis) ?? defaults.valueBasis
        windowMonths = try container.decodeIfPresent(Int.self, forKey: .windowMonths) ?? defaults.windowMonths
        topSharesPercent =
            try container.decodeIfPresent([Int].self, forKey: .topSharesPercent) ?? defaults.topSharesPercent
        loyalVisits = try container.decodeIfPresent(Int.self, forKey: .loyalVisits) ?? defaults.loyalVisits
        loyalMonths = try container.decodeIfPresent(Int.self, forKey: .loyalMonths) ?? defaults.loyalMonths
        churnMonths = try container.decodeIfPresent([Int].self, forKey: .churnMonths) ?? defaults.churnMonths
        ageBandYears = try container.decodeIfPresent([Int].self, forKey: .ageBandYears) ?? defaults.ageBandYears
        warrantyMonths = try container.decodeIfPresent(Int.self, forKey: .warrantyMonths) ?? defaults.warrantyMonths
        warrantyKm = try container.decodeIfPresent(Int.self, forKey: .warrantyKm) ?? defaults.warrantyKm
        nightlyRun = try container.decodeIfPresent(Bool.self, forKey: .nightlyRun) ?? defaults.nightlyRun
        nightlyHour = try container.decodeIfPresent(Int.self, forKey: .nightlyHour) ?? defaults.nightlyHour
    }

    /// Thresholds that make sense together; a store setting is checked with this before it is kept.
    public func validated() throws(RevisitError) -> SegmentSettings {
        func refuse(_ field: String) -> RevisitError {
            RevisitError(.validation, code: .invalidValue, field: field, args: ["field": field])
        }
        guard (1...60).contains(windowMonths) else { throw refuse("windowMonths") }
        guard topSharesPercent.count == 3, topSharesPercent.allSatisfy({ (1...100).contains($0) }),
            topSharesPercent == topSharesPercent.sorted()
        else { throw refuse("topSharesPercent") }
        guard (1...100).contains(loyalVisits) else { throw refuse("loyalVisits") }
        guard (1...60).contains(loyalMonths) else { throw refuse("loyalMonths") }
        guard churnMonths.count == 4, churnMonths.allSatisfy({ (1...240).contains($0) }),
            zip(churnMonths, churnMonths.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw refuse("churnMonths") }
        guard ageBandYears.count == 2, ageBandYears[0] >= 1, ageBandYears[0] < ageBandYears[1], ageBandYears[1] <= 30
        else { throw refuse("ageBandYears") }
        guard (1...240).contains(warrantyMonths) else { throw refuse("warrantyMonths") }
        guard (1...10_000_000).contains(warrantyKm) else { throw refuse("warrantyKm") }
        guard (0...23).contains(nightlyHour) else { throw refuse("nightlyHour") }
        return self
    }
}
