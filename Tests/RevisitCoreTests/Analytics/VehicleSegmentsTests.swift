import Foundation
import Testing

@testable import RevisitCore

/// Vehicle age bands and warranty status (DOMAIN §3), boundaries pinned.
@Suite struct VehicleSegmentsTests {
    let settings = SegmentSettings()
    let asOf = LocalDate("2026-02-28")!

    @Test func ageBandsBelongToTheOlderBandOnTheirBoundary() {
        func band(_ text: String?) -> AgeBand {
            VehicleSegmentation.ageBand(delivery: text.flatMap(LocalDate.init), asOf: asOf, settings: settings)
        }
        #expect(band(nil) == .unknown)
        #expect(band("2026-03-01") == .upToOne)
        #expect(band("2025-03-01") == .upToOne)
        #expect(band("2025-02-28") == .oneToThree)
        #expect(band("2023-03-01") == .oneToThree)
        #expect(band("2023-02-28") == .overThree)
        // "A year before" 2025-02-28 is 2024-02-28, as for churn months: a leap-day delivery is not a year
        // old yet that day, and is the next.
        #expect(
            VehicleSegmentation.ageBand(
                delivery: LocalDate("2024-02-29"), asOf: LocalDate("2025-02-28")!, settings: settings) == .upToOne)
        #expect(
            VehicleSegmentation.ageBand(
                delivery: LocalDate("2024-02-29"), asOf: LocalDate("2025-03-01")!, settings: settings) == .oneToThree)
    }

    @Test func warrantyRunsToTheEndDateOrThirtySixMonthsAndUnderTheKmLimit() {
        func status(
            _ day: String, delivery: String? = nil, end: String? = nil, endKm: Int64? = nil, km: Int64? = nil
        )
            -> WarrantyStatus
        {
            VehicleSegmentation.warranty(
                on: LocalDate(day)!, delivery: delivery.flatMap(LocalDate.init), endDate: end.flatMap(LocalDate.init),
                endKm: endKm, mileageKm: km, settings: settings)
        }
        #expect(status("2026-01-01") == .unknown)
        #expect(status("2026-01-01", end: "2026-01-01") == .inWarranty)
        #expect(status("2026-01-02", end: "2026-01-01") == .outOfWarranty)
        // An end date wins over the delivery rule.
        #expect(status("2026-01-02", delivery: "2025-01-01", end: "2026-01-01") == .outOfWarranty)
        #expect(status("2026-01-30", delivery: "2023-01-31") == .inWarranty)
        #expect(status("2026-01-31", delivery: "2023-01-31") == .outOfWarranty)
        #expect(status("2025-06-01", delivery: "2023-01-31", km: 59_999) == .inWarranty)
        #expect(status("2025-06-01", delivery: "2023-01-31", km: 60_000) == .outOfWarranty)
        #expect(status("2025-06-01", delivery: "2023-01-31", endKm: 100_000, km: 80_000) == .inWarranty)
    }
}
