import Foundation
import RevisitCore
import Testing

@Suite struct LocalDateTests {
    @Test func monthsClampToShorterMonths() {
        #expect(LocalDate("2024-08-31")!.addingMonths(-6).description == "2024-02-29")
        #expect(LocalDate("2023-08-31")!.addingMonths(-6).description == "2023-02-28")
        #expect(LocalDate("2024-01-31")!.addingMonths(1).description == "2024-02-29")
        #expect(LocalDate("2024-11-15")!.addingMonths(3).description == "2025-02-15")
    }

    @Test func parsingRefusesImpossibleDates() {
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-13-01") == nil)
        #expect(LocalDate("20240301") == nil)
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2024/03/01") == nil && LocalDate("2024-0a-01") == nil)
        #expect(LocalDate(" 2024-3-1 ")?.description == "2024-03-01")
        #expect(LocalDate(year: 1999, month: 1, day: 9)?.description == "1999-01-09")
    }

    @Test func anInstantFallsOnTheStoresDay() {
        let instant = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14 22:13 UTC
        #expect(LocalDate(instant, timeZone: TimeZone(identifier: "Asia/Shanghai")!).description == "2023-11-15")
        #expect(LocalDate(instant, timeZone: TimeZone(identifier: "UTC")!).description == "2023-11-14")
    }

    @Test func moneyReadsAsYuan() {
        #expect(Money.yuan(123_456_789) == "¥1,234,567.89")
        #expect(Money.yuan(5) == "¥0.05")
        #expect(Money.yuan(-100_000) == "-¥1,000.00")
    }
}

@Suite struct DayNumberTests {
    @Test func dayNumbersRoundTripAndMatchTheEpoch() {
        #expect(LocalDate("1970-01-01")!.dayNumber == 0)
        #expect(LocalDate("2000-03-01")!.dayNumber == 11_017)
        for number in stride(from: -1000, through: 40_000, by: 37) {
            #expect(LocalDate(dayNumber: number).dayNumber == number)
        }
        #expect(LocalDate("2024-02-28")!.addingDays(1).description == "2024-02-29")
        #expect(LocalDate("2024-12-31")!.addingDays(1).description == "2025-01-01")
        #expect(LocalDate("2024-01-01")!.days(to: LocalDate("2025-01-01")!) == 366)
    }
}
