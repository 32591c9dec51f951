import Foundation

/// Years since delivery (DOMAIN §3): each band has its own retention playbook in the seeds.
public enum AgeBand: String, Sendable, Codable, CaseIterable {
    case upToOne = "0_1"
    case oneToThree = "1_3"
    case overThree = "over_3"
    /// No delivery date on file.
    case unknown
}

/// Whether a vehicle is still under its warranty (三包/保修) on a day.
public enum WarrantyStatus: String, Sendable, Codable, CaseIterable {
    case inWarranty = "in_warranty"
    case outOfWarranty = "out_of_warranty"
    /// Neither a warranty end date nor a delivery date to count from.
    case unknown
}

/// A vehicle's classes from a run.
public struct VehicleSegments: Sendable, Equatable, Codable {
    public var ageBand: AgeBand
    public var warranty: WarrantyStatus
    public var asOf: LocalDate

    public init(ageBand: AgeBand, warranty: WarrantyStatus, asOf: LocalDate) {
        self.ageBand = ageBand
        self.warranty = warranty
        self.asOf = asOf
    }
}

/// The per-vehicle rules. The storage target evaluates them in SQL over every vehicle and every repair
/// order, so each rule is stated in a form SQL can repeat exactly: date parts compared as integers.
public enum VehicleSegmentation {
    /// As with churn stages, a boundary belongs to the older band: delivered exactly one year before the
    /// as-of day is 1–3. A delivery after the as-of day (a car sold ahead) is new.
    public static func ageBand(delivery: LocalDate?, asOf: LocalDate, settings: SegmentSettings) -> AgeBand {
        guard let delivery else { return .unknown }
        if delivery > asOf.addingMonths(-12 * settings.ageBandYears[0]) { return .upToOne }
        if delivery > asOf.addingMonths(-12 * settings.ageBandYears[1]) { return .oneToThree }
        return .overThree
    }

    /// A (month, day) key that orders dates; adding `months * 100` moves it by calendar months without
    /// clamping, which SQL can do with integer arithmetic on the date text.
    public static func monthDayKey(_ date: LocalDate) -> Int { (date.year * 12 + date.month) * 100 + date.day }

    /// In warranty on `day`: on or before the warranty end date when the DMS gave one, else before the
    /// same day of the month `warrantyMonths` after delivery (a delivery on the 31st runs to the end of
    /// a shorter month); and in both cases below the km limit when the mileage is known.
    public static func warranty(
        on day: LocalDate, delivery: LocalDate?, endDate: LocalDate?, endKm: Int64?, mileageKm: Int64?,
        settings: SegmentSettings
    ) -> WarrantyStatus {
        let byDate: Bool
        if let endDate {
            byDate = day <= endDate
        } else if let delivery {
            byDate = monthDayKey(day) < monthDayKey(delivery) + settings.warrantyMonths * 100
        } else {
            return .unknown
        }
        let limit = endKm ?? Int64(settings.warrantyKm)
        let byKm = mileageKm.map { $0 < limit } ?? true
        return byDate && byKm ? .inWarranty : .outOfWarranty
    }
}
