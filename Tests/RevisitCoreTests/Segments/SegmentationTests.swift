import Foundation
import RevisitCore
import Testing

@Suite struct SegmentationTests {
    func day(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func thePyramidCutsAtCeilOfTheCumulativeShares() {
        // 100 customers: ceil(1 %) = 1 A, ceil(5 %) = 5 A+B, ceil(20 %) = 20 A+B+C.
        let classes = Segmentation.valueClasses((1...100).reversed().map { Int64($0) })
        #expect(classes.filter { $0 == .a }.count == 1)
        #expect(classes.filter { $0 == .b }.count == 4)
        #expect(classes.filter { $0 == .c }.count == 15)
        #expect(classes.filter { $0 == .d }.count == 80)
        #expect(Array(classes.prefix(6)) == [.a, .b, .b, .b, .b, .c])
        // 101 customers: ceil(1.01) = 2 A.
        #expect(Segmentation.valueClasses((1...101).map { Int64($0) }).filter { $0 == .a }.count == 2)
    }

    @Test func tiesOnABoundaryGoToTheHigherClass() {
        var values = [Int64](repeating: 1, count: 100)
        values[0] = 900
        values[1] = 900  // tied with the one A: both A
        values[5] = 50
        values[6] = 50  // the fifth place is 50, tied with the sixth: both B
        values[7] = 50
        let classes = Segmentation.valueClasses(values)
        #expect(classes[0] == .a && classes[1] == .a)
        #expect(classes[5] == .b && classes[6] == .b && classes[7] == .b)
        // Everyone else ties at 1 with the 20th place: all C, nobody is D.
        #expect(classes[2] == .c && classes[99] == .c)
    }

    @Test func nothingEarnedIsDWhateverTheRank() {
        let classes = Segmentation.valueClasses([500, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(classes == [.a, .d, .d, .d, .d, .d, .d, .d, .d, .d])
        #expect(Segmentation.valueClasses([0, -5]) == [.d, .d])
        #expect(Segmentation.valueClasses([]) == [])
    }

    @Test func churnBoundariesBelongToTheOlderStage() {
        let settings = SegmentSettings()
        let asOf = day("2025-08-31")
        func stage(_ last: String?) -> ChurnStage {
            Segmentation.churnStage(lastVisit: last.map(day), asOf: asOf, settings: settings)
        }
        #expect(stage("2025-08-31") == .active)
        #expect(stage("2025-03-01") == .active)
        // Aug 31 − 6 months is Feb 28 (clamped): exactly six months is semi-churned.
        #expect(stage("2025-02-28") == .semiChurned)
        #expect(stage("2024-12-01") == .semiChurned)
        #expect(stage("2024-11-30") == .atRisk)
        #expect(stage("2024-08-31") == .churned)
        #expect(stage("2023-09-01") == .churned)
        #expect(stage("2023-08-31") == .lost)
        #expect(stage(nil) == ChurnStage.none)
        // A leap year clamps to the 29th.
        #expect(
            Segmentation.churnStage(lastVisit: day("2024-02-29"), asOf: day("2024-08-31"), settings: settings)
                == .semiChurned)
        #expect(
            Segmentation.churnStage(lastVisit: day("2024-03-01"), asOf: day("2024-08-31"), settings: settings)
                == .active)
    }

    @Test func theQuadrantCrossesValueWithLoyalty() {
        let asOf = day("2025-06-30")
        var customers: [CustomerActivity] = []
        // Two big spenders: one loyal (2 visits, recent), one came once.
        customers.append(
            CustomerActivity(customerId: 1, windowRevenueFen: 90_000, windowVisits: 2, lastVisit: day("2025-06-01")))
        customers.append(
            CustomerActivity(customerId: 2, windowRevenueFen: 80_000, windowVisits: 1, lastVisit: day("2025-06-01")))
        // Small spenders: loyal, then two visits but the last exactly six months ago (not loyal).
        customers.append(
            CustomerActivity(customerId: 3, windowRevenueFen: 100, windowVisits: 3, lastVisit: day("2025-05-01")))
        customers.append(
            CustomerActivity(customerId: 4, windowRevenueFen: 100, windowVisits: 2, lastVisit: day("2024-12-30")))
        for id in 5...10 { customers.append(CustomerActivity(customerId: Int64(id))) }
        let segments = Segmentation.classify(customers, asOf: asOf)
        #expect(segments.map(\.quadrant).prefix(4) == [.core, .potential, .regular, .marginal])
        #expect(segments[4].quadrant == .marginal && segments[4].churnStage == ChurnStage.none)
        #expect(segments.allSatisfy { $0.asOf == asOf })
    }

    @Test func grossProfitCanRankInsteadOfRevenue() {
        var settings = SegmentSettings()
        settings.valueBasis = .grossProfit
        let customers = [
            CustomerActivity(customerId: 1, windowRevenueFen: 1_000, windowCostFen: 900, windowVisits: 1),
            CustomerActivity(customerId: 2, windowRevenueFen: 600, windowCostFen: 100, windowVisits: 1),
        ]
        // Two customers: only one is in the top 20 %.
        let asOf = day("2025-01-01")
        #expect(Segmentation.classify(customers, asOf: asOf, settings: settings).map(\.value) == [.d, .a])
        #expect(Segmentation.classify(customers, asOf: asOf).map(\.value) == [.a, .d])
    }

    @Test func quintilesScoreOneToFiveAndTiesAlike() {
        #expect(Segmentation.quintiles((1...10).map { Int64($0) }) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(Segmentation.quintiles([7, 7, 7]) == [1, 1, 1])
        #expect(Segmentation.quintiles([0, 0, 0, 0, 9]) == [1, 1, 1, 1, 5])
        let asOf = day("2025-01-01")
        let segments = Segmentation.classify(
            [
                CustomerActivity(customerId: 1, windowRevenueFen: 10, windowVisits: 1, lastVisit: day("2024-12-01")),
                CustomerActivity(customerId: 2),
            ], asOf: asOf)
        #expect(segments[0].rfm == RFMScore(r: 3, f: 3, m: 3))
        #expect(segments[1].rfm == RFMScore(r: 1, f: 1, m: 1))
    }

    @Test func settingsMustHangTogether() throws {
        var settings = SegmentSettings()
        #expect(throws: Never.self) { try settings.validated() }
        settings.churnMonths = [6, 12, 9, 24]
        #expect(throws: RevisitError.self) { try settings.validated() }
        settings = SegmentSettings()
        settings.topSharesPercent = [5, 1, 20]
        #expect(throws: RevisitError.self) { try settings.validated() }
        #expect(Segmentation.windowStart(asOf: day("2024-02-29"), settings: SegmentSettings()) == day("2023-02-28"))
    }
}
