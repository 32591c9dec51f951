import Foundation
import Testing

@testable import RevisitCore

/// Assignment rules (DOMAIN §4) and the advisor's monthly churn.
@Suite struct OwnerAssignmentTests {
    @Test func classRulesBrandsAndTheGeneralPoolEvenOut() {
        var settings = AssignmentSettings()
        settings.rules = [AssignmentSettings.Rule(valueClasses: [.a, .b], advisorIds: [1, 2])]
        settings.byBrand = ["宝马": [5]]
        let customers =
            (1...4).map { UnownedCustomer(customerId: Int64($0), valueClass: .a) }
            + [UnownedCustomer(customerId: 5, valueClass: .b)]
            + (6...9).map { UnownedCustomer(customerId: Int64($0), valueClass: .d) }
            + [UnownedCustomer(customerId: 10, valueClass: .c, brand: "宝马"), UnownedCustomer(customerId: 11)]
        let pairs = OwnerAssignment.assign(
            customers, load: [CustomerOwner(advisorId: 1): 3], advisors: [1, 2, 3, 4, 5], settings: settings)
        let owner = Dictionary(uniqueKeysWithValues: pairs.map { ($0.customerId, $0.owner.advisorId!) })
        #expect(pairs.count == 11)
        // Advisor 1 already has three: the A/B pool fills advisor 2 first, then alternates.
        #expect([1, 2, 3, 4, 5].map { owner[$0]! } == [2, 2, 2, 1, 2])
        #expect(owner[10] == 5)
        // The rest go round the general pool, least loaded first (5 has one by now).
        #expect([6, 7, 8, 9, 11].map { owner[$0]! } == [3, 4, 3, 4, 5])
        let load = Dictionary(grouping: pairs, by: \.owner.advisorId).mapValues(\.count)
        #expect(load[3] == 2 && load[4] == 2)
    }

    @Test func nobodyEligibleLeavesCustomersUnownedAndSpreadIsEven() {
        #expect(
            OwnerAssignment.assign(
                [UnownedCustomer(customerId: 1)], load: [:], advisors: [], settings: AssignmentSettings()
            ).isEmpty)
        let spread = OwnerAssignment.spread(
            Array(1...10), over: [CustomerOwner(advisorId: 7), CustomerOwner(advisorId: 8)],
            load: [CustomerOwner(advisorId: 7): 4])
        let load = Dictionary(grouping: spread, by: \.owner.advisorId).mapValues(\.count)
        #expect(load == [7: 3, 8: 7])
    }

    /// A team takes customers per head: a team of three gets three for each one a single advisor gets.
    @Test func teamsShareByHeadAndTakeTheirClassRule() {
        let team = CustomerOwner(teamId: 4)
        let solo = CustomerOwner(advisorId: 9)
        let spread = OwnerAssignment.spread(Array(1...8), over: [solo, team], load: [:], teamSizes: [4: 3])
        let load = Dictionary(grouping: spread, by: \.owner).mapValues(\.count)
        #expect(load == [team: 6, solo: 2])
        var settings = AssignmentSettings()
        settings.rules = [AssignmentSettings.Rule(valueClasses: [.a], advisorIds: [], teamIds: [4])]
        let pairs = OwnerAssignment.assign(
            [UnownedCustomer(customerId: 1, valueClass: .a), UnownedCustomer(customerId: 2, valueClass: .c)],
            load: [:], advisors: [9], teamSizes: [4: 3], settings: settings)
        #expect(pairs.map(\.owner) == [team, solo])
        #expect(CustomerOwner(choice: "team:4") == team && CustomerOwner(choice: "9") == solo)
        #expect(CustomerOwner(choice: "") == CustomerOwner() && CustomerOwner(choice: "x") == nil)
        #expect(team.choice == "team:4" && solo.choice == "9")
    }

    @Test func rulesNameOnlyTheStoresAdvisors() {
        var settings = AssignmentSettings()
        settings.rules = [AssignmentSettings.Rule(valueClasses: [.a], advisorIds: [9])]
        #expect(throws: RevisitError.self) { try settings.validated(advisors: [1, 2]) }
        settings.rules = [AssignmentSettings.Rule(valueClasses: [.a], advisorIds: [])]
        #expect(throws: RevisitError.self) { try settings.validated(advisors: [1, 2]) }
        settings.rules = [AssignmentSettings.Rule(valueClasses: [.a], advisorIds: [2])]
        #expect(throws: Never.self) { try settings.validated(advisors: [1, 2]) }
        settings.rules = [AssignmentSettings.Rule(valueClasses: [.a], advisorIds: [], teamIds: [5])]
        #expect(throws: RevisitError.self) { try settings.validated(advisors: [1, 2], teams: [6]) }
        #expect(throws: Never.self) { try settings.validated(advisors: [1, 2], teams: [5]) }
    }

    @Test func monthlyChurnCountsThoseWhoseTwelveMonthsRanOutInTheMonth() {
        func month(_ text: String) -> Int { MonthChurn.index(Substring(text))! }
        // Last visits: two in 2024-11 (their year runs out in 2025-11), one in 2025-03, one in 2023-01.
        let visits = [month("2024-11"): 2, month("2025-03"): 1, month("2023-01"): 1]
        let series = MonthChurn.series(lastVisits: visits, asOf: LocalDate("2025-11-20")!, months: 3)
        #expect(series.map(\.month) == ["2025-09", "2025-10", "2025-11"])
        #expect(series[2].base == 3 && series[2].churned == 2 && series[2].rate == 2.0 / 3)
        #expect(series[0].base == 3 && series[0].churned == 0)
        #expect(MonthChurn.series(lastVisits: [:], asOf: LocalDate("2025-11-20")!, months: 1).first?.rate == nil)
    }
}
