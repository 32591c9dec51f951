import Foundation
import Testing

@testable import RevisitCore

/// The store metrics from visits: churn by year, five-year churn, cohorts, the Dwyer inputs and table.
@Suite struct StoreAnalyticsTests {
    let asOf = LocalDate("2025-06-30")!

    /// A customer with visits on these days, bits filled as storage fills them.
    func customer(_ id: Int64, _ days: [String], asOf: LocalDate, revenueFen: Int64 = 0) -> CustomerActivity {
        let dates = days.compactMap(LocalDate.init).filter { $0 <= asOf }
        var years: Int64 = 0
        var quarters: Int64 = 0
        for date in dates {
            years |= Int64(1) << Int64(date.year - VisitBits.firstYear(asOf: asOf))
            let quarter = CohortRetention.quarterIndex(date) - VisitBits.firstQuarter(asOf: asOf)
            if quarter >= 0 { quarters |= Int64(1) << Int64(quarter) }
        }
        let window = dates.filter { $0 > asOf.addingMonths(-12) }
        return CustomerActivity(
            customerId: id, windowRevenueFen: window.isEmpty ? 0 : revenueFen, windowCostFen: 0,
            windowVisits: window.count, lastVisit: dates.max(), firstVisit: dates.min(), yearBits: years,
            quarterBits: quarters)
    }

    @Test func annualChurnCountsTheYearBeforesVisitorsWhoDidNotComeBack() {
        let customers = [
            customer(1, ["2023-03-01", "2024-05-01"], asOf: asOf),
            customer(2, ["2023-07-01"], asOf: asOf),
            customer(3, ["2024-02-01", "2025-01-15"], asOf: asOf),
            // After the as-of day: does not count, so 4 looks gone in 2025.
            customer(4, ["2024-12-31", "2025-07-01"], asOf: asOf),
            customer(5, [], asOf: asOf),
        ]
        let churn = ChurnRates.annual(StoreAnalytics.visitYears(customers, asOf: asOf), asOf: asOf)
        #expect(churn.map(\.year) == [2024, 2025])
        // 2024: of {1, 2} (visited 2023) only 1 came back.
        #expect(churn[0].base == 2 && churn[0].churned == 1 && churn[0].rate == 0.5 && !churn[0].partial)
        // 2025 so far: of {1, 3, 4} only 3 came back; the year is not over.
        #expect(churn[1].base == 3 && churn[1].churned == 2 && churn[1].partial)
        #expect(churn[1].retention! == 1 - 2.0 / 3.0)
    }

    @Test func fiveYearChurnComparesWithFiveYearsEarlier() {
        let customers = [
            customer(1, ["2019-03-01", "2024-05-01"], asOf: asOf),
            customer(2, ["2019-07-01", "2023-01-01"], asOf: asOf),
            customer(3, ["2020-01-01"], asOf: asOf),
        ]
        let five = ChurnRates.fiveYear(StoreAnalytics.visitYears(customers, asOf: asOf), asOf: asOf)
        #expect(five.map(\.year) == [2024, 2025])
        #expect(five[0].base == 2 && five[0].churned == 1)
        #expect(five[1].base == 1 && five[1].churned == 1 && five[1].partial)
    }

    @Test func cohortsFollowTheQuarterOfTheFirstVisit() {
        let customers = [
            customer(1, ["2024-08-01", "2024-11-02", "2025-05-01"], asOf: asOf),
            customer(2, ["2024-09-30"], asOf: asOf),
            customer(3, ["2025-01-01", "2025-02-01"], asOf: asOf),
            // First came long ago: not in the last twelve quarters' cohorts.
            customer(4, ["2019-01-01", "2025-01-01"], asOf: asOf),
        ]
        let rows = StoreAnalytics.cohorts(customers, asOf: asOf)
        #expect(rows.map(\.quarter) == ["2024Q3", "2025Q1"])
        // 2024Q3: two customers; one back in Q4, nobody in 2025Q1, one in 2025Q2.
        #expect(rows[0].retained == [2, 1, 0, 1])
        #expect(rows[0].shares == [1, 0.5, 0, 0.5])
        #expect(rows[1].retained == [1, 0])
    }

    @Test func theLifetimeInputsComeFromTheStoresOwnData() {
        let customers = [
            customer(1, ["2024-03-01", "2024-09-01", "2025-03-01"], asOf: asOf, revenueFen: 300_000),
            customer(2, ["2024-05-01"], asOf: asOf),
            customer(3, ["2023-05-01", "2024-10-01"], asOf: asOf, revenueFen: 100_000),
        ]
        let years = StoreAnalytics.visitYears(customers, asOf: asOf)
        let churn = ChurnRates.annual(years, asOf: asOf)
        let inputs = StoreAnalytics.lifetimeInputs(
            customers, churn: churn, newCustomers: StoreAnalytics.newCustomers(customers), asOf: asOf)
        #expect(inputs.cohortYear == 2024 && inputs.initialCustomers == 2)
        // The only complete year is 2024: of {3} (2023) 3 came back.
        #expect(inputs.retentionRate == 1)
        // Window (2024-06-30, 2025-06-30]: customer 1 twice, customer 3 once; ¥4,000 over 3 visits.
        #expect(inputs.visitsPerYear == 1.5)
        #expect(abs(inputs.averageTicket - 4_000.0 / 3) < 1e-9)
        #expect(inputs.fromData.contains("retentionRate") && !inputs.fromData.contains("discountRate"))
    }

    @Test func theDwyerTableDiscountsFromTheSecondYear() {
        let table = DwyerTable(
            DwyerInputs(
                cohortYear: 2024, initialCustomers: 100, retentionRate: 0.5, visitsPerYear: 2, averageTicket: 100,
                variableCostRate: 0.6, marketingCostPerCustomer: 10, acquisitionCostPerCustomer: 50, discountRate: 0.1,
                years: 2))
        #expect(table.rows.count == 2)
        let first = table.rows[0]
        #expect(first.customers == 100 && first.revenue == 20_000 && first.variableCost == 12_000)
        #expect(first.marketingCost == 1_000 && first.acquisitionCost == 5_000 && first.totalCost == 18_000)
        #expect(first.grossProfit == 2_000 && first.discountFactor == 1 && first.npv == 2_000 && first.retained == 50)
        let second = table.rows[1]
        #expect(second.customers == 50 && second.revenue == 10_000 && second.acquisitionCost == 0)
        #expect(second.grossProfit == 3_500 && abs(second.npv - 3_500 / 1.1) < 1e-9)
        #expect(abs(second.cumulativeNpv - (2_000 + 3_500 / 1.1)) < 1e-9)
        #expect(abs(table.clv - (2_000 + 3_500 / 1.1) / 100) < 1e-9)
    }

    @Test func overridesReplaceInputsAndAnotherCohortStartsFromItsNewCustomers() throws {
        let metrics = StoreMetrics(
            asOf: asOf, churn: [], fiveYearChurn: [], loyal: 0, visitedInWindow: 0, cohorts: [],
            newCustomers: [YearCount(year: 2023, customers: 40), YearCount(year: 2024, customers: 70)],
            clv: DwyerInputs(cohortYear: 2024, initialCustomers: 70, fromData: ["initialCustomers", "retentionRate"]),
            workshop: WorkshopMetrics(from: asOf.addingMonths(-12), through: asOf), vehicles: [:], moves: SegmentMoves()
        )
        let base = try metrics.lifetimeValue()
        #expect(base.inputs.initialCustomers == 70 && base.rows.count == 5)
        let other = try metrics.lifetimeValue(overrides: ["cohortYear": 2023, "retentionRate": 0.8, "years": 3])
        #expect(other.inputs.cohortYear == 2023 && other.inputs.initialCustomers == 40 && other.rows.count == 3)
        #expect(other.inputs.retentionRate == 0.8 && !other.inputs.fromData.contains("retentionRate"))
        #expect(throws: RevisitError.self) { try metrics.lifetimeValue(overrides: ["retentionRate": 1.5]) }
        #expect(throws: RevisitError.self) { try metrics.lifetimeValue(overrides: ["cohortYear": 2023.5]) }
        do {
            _ = try metrics.lifetimeValue(overrides: ["discountRate": -1])
            Issue.record("a negative discount rate was accepted")
        } catch {
            #expect(error.field == "discountRate")
        }
    }

    @Test func workshopTotalsAreTheMonthsSums() {
        let months = [
            WorkshopMonth(
                month: "2025-05", orders: 10, customers: 8, revenueFen: 100_000, inWarranty: 4, outOfWarranty: 5,
                internalComebacks: 1, externalComebacks: 0),
            WorkshopMonth(
                month: "2025-06", orders: 6, customers: 6, revenueFen: 60_000, inWarranty: 1, outOfWarranty: 5,
                internalComebacks: 0, externalComebacks: 2),
        ]
        let workshop = WorkshopMetrics(from: asOf.addingMonths(-12), through: asOf, customers: 12, months: months)
        #expect(workshop.orders == 16 && workshop.revenueFen == 160_000 && workshop.averageTicketFen == 10_000)
        #expect(workshop.warranty == ["in_warranty": 5, "out_of_warranty": 10, "unknown": 1])
        #expect(workshop.internalComebacks == 1 && workshop.externalComebacks == 2 && workshop.customers == 12)
        let days = WorkshopMetrics.filledDays(
            [WorkshopDay(date: asOf, customers: 3, orders: 4)], through: asOf, count: 3)
        #expect(days.map(\.date.description) == ["2025-06-28", "2025-06-29", "2025-06-30"])
        #expect(days.map(\.orders) == [0, 0, 4])
        // 2025-06-30 was a Monday; 1970-01-01 a Thursday.
        #expect(WorkshopMetrics.weekday(asOf) == 0 && WorkshopMetrics.weekday(LocalDate("1970-01-01")!) == 3)
    }
}
