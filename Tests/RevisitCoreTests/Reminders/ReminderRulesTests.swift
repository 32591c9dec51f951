import Foundation
import Testing

@testable import RevisitCore

/// DOMAIN §5's rules: the maintenance prediction and each rule's window, pinned.
@Suite struct ReminderRulesTests {
    func day(_ text: String) -> LocalDate { LocalDate(text)! }
    func reading(_ date: String, _ km: Int) -> MileageReading { MileageReading(date: day(date), km: km) }
    let settings = ReminderSettings()

    @Test func thePaceComesFromTheLatestReadingsAndSurvivesARollBack() {
        // Irregular gaps: 3,000 km over 100 days, then 2,000 over 50.
        let irregular = [reading("2025-01-01", 10_000), reading("2025-04-11", 13_000), reading("2025-05-31", 15_000)]
        #expect(MaintenanceRule.kmPerDay(irregular) == 5_000.0 / 150)
        // Only the latest `use` readings count.
        #expect(MaintenanceRule.kmPerDay(irregular, use: 2) == 40)
        // An odometer replaced: the count starts again from the low reading.
        let rolledBack = irregular + [reading("2025-06-30", 200), reading("2025-09-28", 3_800)]
        #expect(MaintenanceRule.kmPerDay(rolledBack) == 40)
        // Too little history: one reading, readings a week apart, or no km driven.
        #expect(MaintenanceRule.kmPerDay([reading("2025-01-01", 10_000)]) == nil)
        #expect(MaintenanceRule.kmPerDay([reading("2025-01-01", 10_000), reading("2025-01-08", 10_400)]) == nil)
        #expect(MaintenanceRule.kmPerDay([reading("2025-01-01", 10_000), reading("2025-06-01", 10_000)]) == nil)
        #expect(MaintenanceRule.kmPerDay([]) == nil)
    }

    @Test func maintenanceFallsDueByKmOrByMonthsWhicheverFirst() {
        // 100 km a day: 5,000 km in 50 days, long before six months.
        let busy = MaintenanceRule.predict(
            lastMaintenance: reading("2025-03-02", 41_200), lastMaintenanceDate: day("2025-03-02"),
            readings: [reading("2024-09-03", 23_200), reading("2025-03-02", 41_200)], settings: settings)
        #expect(busy.paceFromHistory && busy.kmPerDay == 100)
        #expect(
            busy.dueByKm == day("2025-04-21") && busy.dueByMonths == day("2025-09-02") && busy.due == day("2025-04-21"))
        #expect(busy.basis["dueBy"] == "km" && busy.basis["lastMaintenanceKm"] == "41200")
        // 10 km a day: months win.
        let quiet = MaintenanceRule.predict(
            lastMaintenance: reading("2025-03-02", 41_200), lastMaintenanceDate: day("2025-03-02"),
            readings: [reading("2024-03-02", 37_550), reading("2025-03-02", 41_200)], settings: settings)
        #expect(quiet.due == day("2025-09-02") && quiet.basis["dueBy"] == "months")
        // No history: the store's default pace (40 km a day → 125 days).
        let unknown = MaintenanceRule.predict(
            lastMaintenance: reading("2025-03-02", 41_200), lastMaintenanceDate: day("2025-03-02"), readings: [],
            settings: settings)
        #expect(!unknown.paceFromHistory && unknown.dueByKm == day("2025-07-05") && unknown.due == day("2025-07-05"))
        // A later reading moves the km estimate from there.
        let later = MaintenanceRule.predict(
            lastMaintenance: reading("2025-03-02", 41_200), lastMaintenanceDate: day("2025-03-02"),
            readings: [reading("2025-03-02", 41_200), reading("2025-04-01", 45_200)], settings: settings)
        #expect(later.dueByKm == day("2025-04-09"))
        // No mileage at the last maintenance: months only.
        let noKm = MaintenanceRule.predict(
            lastMaintenance: nil, lastMaintenanceDate: day("2025-03-02"), readings: [], settings: settings)
        #expect(noKm.dueByKm == nil && noKm.due == day("2025-09-02"))
    }

    @Test func aMaintenanceReminderIsDueFromTheLeadDaysUntilItIsLongOverdue() {
        let facts = VehicleFacts(
            vehicleId: 7, customerId: 3, maintenanceVisits: 3, lastMaintenance: day("2025-03-02"),
            lastMaintenanceKm: 41_200)
        // Default pace → due 2025-07-05; reminded from 06-28 to 60 days after.
        func types(_ on: String) -> [ReminderType] {
            ReminderRules.vehicle(facts, asOf: day(on), settings: settings).map(\.type)
        }
        #expect(types("2025-06-27") == [])
        #expect(types("2025-06-28") == [.maintenance])
        #expect(types("2025-09-03") == [.maintenance])
        #expect(types("2025-09-04") == [])
        let found = ReminderRules.vehicle(facts, asOf: day("2025-07-01"), settings: settings)
        #expect(found.first?.key == "maintenance:v7:2025-03-02" && found.first?.dueDate == day("2025-07-05"))
        #expect(found.first?.customerId == 3 && found.first?.args["lastMaintenance"] == "2025-03-02")
        var off = settings
        off.disabled = [.maintenance]
        #expect(ReminderRules.vehicle(facts, asOf: day("2025-07-01"), settings: off).isEmpty)
    }

    @Test func newCarsFollowTheBrandScheduleForTheirFirstTwoServices() {
        let new = VehicleFacts(vehicleId: 1, customerId: 1, brand: "大众", deliveryDate: day("2025-01-15"))
        let first = ReminderRules.vehicle(new, asOf: day("2025-04-10"), settings: settings)
        #expect(first.map(\.key) == ["first_maintenance:v1:1"] && first.first?.dueDate == day("2025-04-15"))
        var served = new
        served.maintenanceVisits = 1
        served.lastMaintenance = day("2025-04-12")
        let second = ReminderRules.vehicle(served, asOf: day("2025-10-10"), settings: settings)
        #expect(second.map(\.key) == ["first_maintenance:v1:2"] && second.first?.dueDate == day("2025-10-15"))
        // A brand of its own: first at 6 months.
        var own = settings
        own.brandSchedules["大众"] = ReminderSettings.Schedule(firstMonths: 6, firstKm: 7_500)
        #expect(ReminderRules.vehicle(new, asOf: day("2025-04-10"), settings: own).isEmpty)
        // After the second service the ordinary prediction takes over.
        served.maintenanceVisits = 2
        #expect(
            ReminderRules.vehicle(served, asOf: day("2025-10-10"), settings: settings).map(\.type) == [.maintenance])
    }

    @Test func insuranceIsRemindedAtEachLeadButOnlyTheLatestWhenSeveralHavePassed() {
        let facts = VehicleFacts(vehicleId: 2, customerId: 5, insuranceExpiry: day("2025-12-31"))
        func keys(_ on: String) -> [String] {
            ReminderRules.vehicle(facts, asOf: day(on), settings: settings).map(\.key)
        }
        #expect(keys("2025-11-30") == [])
        #expect(keys("2025-12-01") == ["insurance:v2:2025-12-31:30"])
        #expect(keys("2025-12-16") == ["insurance:v2:2025-12-31:15"])
        #expect(keys("2025-12-28") == ["insurance:v2:2025-12-31:7"])
        #expect(keys("2025-12-31") == ["insurance:v2:2025-12-31:7"])
        #expect(keys("2026-01-01") == [])
    }

    @Test func inspectionWarrantyAndLicenceAreRemindedThirtyDaysAhead() {
        let vehicle = VehicleFacts(
            vehicleId: 4, customerId: 9, inspectionDue: day("2025-08-31"), warrantyEndDate: day("2025-08-31"))
        #expect(ReminderRules.vehicle(vehicle, asOf: day("2025-07-31"), settings: settings).isEmpty)
        #expect(
            ReminderRules.vehicle(vehicle, asOf: day("2025-08-01"), settings: settings).map(\.type)
                == [.inspection, .warranty])
        #expect(ReminderRules.vehicle(vehicle, asOf: day("2025-09-01"), settings: settings).isEmpty)
        let customer = CustomerFacts(customerId: 9, licenceReviewDate: day("2025-08-31"))
        #expect(
            ReminderRules.customer(customer, asOf: day("2025-08-01"), settings: settings).map(\.key) == [
                "licence:c9:2025-08-31"
            ])
    }

    @Test func winBackIsOncePerStageEnteredAndGreetingsFollowTheCalendar() {
        let slipping = CustomerFacts(customerId: 3, churnStage: .atRisk, lastVisit: day("2024-10-01"))
        #expect(
            ReminderRules.customer(slipping, asOf: day("2025-08-01"), settings: settings).map(\.key)
                == ["winback:c3:at_risk:2024-10-01"])
        var back = slipping
        back.churnStage = .semiChurned
        back.lastVisit = day("2025-01-10")
        #expect(
            ReminderRules.customer(back, asOf: day("2025-08-01"), settings: settings).map(\.key)
                == ["winback:c3:semi_churned:2025-01-10"])
        #expect(
            ReminderRules.customer(
                CustomerFacts(customerId: 3, churnStage: .active), asOf: day("2025-08-01"), settings: settings
            ).isEmpty)

        // Birthdays; a leap-day birthday on the 28th in other years.
        let leap = CustomerFacts(customerId: 8, birthday: day("1988-02-29"), churnStage: .active)
        #expect(
            ReminderRules.customer(leap, asOf: day("2025-02-28"), settings: settings).map(\.key) == [
                "greeting:c8:birthday:2025"
            ])
        #expect(ReminderRules.customer(leap, asOf: day("2024-02-28"), settings: settings).isEmpty)
        #expect(ReminderRules.customer(leap, asOf: day("2024-02-29"), settings: settings).count == 1)
        // Festivals by the lunar calendar, to customers still coming; not to the long lost.
        let spring = ReminderRules.customer(
            CustomerFacts(customerId: 8, churnStage: .active), asOf: day("2026-02-17"), settings: settings)
        #expect(spring.map(\.key) == ["greeting:c8:spring_festival:2026"])
        #expect(
            ReminderRules.customer(
                CustomerFacts(customerId: 8, churnStage: .lost), asOf: day("2026-02-17"), settings: settings
            ).isEmpty)
        #expect(
            ReminderRules.customer(
                CustomerFacts(customerId: 8, churnStage: .active), asOf: day("2026-06-01"), settings: settings
            ).map(\.reason) == ["greeting.season"])
        // A purchase anniversary, from the first year on.
        let car = VehicleFacts(vehicleId: 5, customerId: 8, deliveryDate: day("2023-09-09"))
        #expect(
            ReminderRules.anniversary(car, ownerStage: .active, asOf: day("2025-09-09"), settings: settings)?.args[
                "years"] == "2")
        #expect(ReminderRules.anniversary(car, ownerStage: .active, asOf: day("2023-09-09"), settings: settings) == nil)
    }
}
