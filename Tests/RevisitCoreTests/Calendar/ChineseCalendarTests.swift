import Foundation
import Testing

@testable import RevisitCore

@Suite struct FestivalReferenceTests {
    /// Tests/Fixtures/calendar/festivals-1990-2100.csv, written by scripts/gen-festival-reference.py from
    /// lunardate, lunar-python, sxtwl and ephem (which must agree), never from this module.
    static func referenceRows() throws -> [(year: Int, festival: String, date: String)] {
        var tests = URL(fileURLWithPath: #filePath)
        while tests.lastPathComponent != "Tests" { tests.deleteLastPathComponent() }
        let file = tests.appendingPathComponent("Fixtures/calendar/festivals-1990-2100.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "year,festival,date")
        return lines.dropFirst().map { line in
            let fields = line.split(separator: ",").map(String.init)
            return (Int(fields[0]) ?? 0, fields[1], fields[2])
        }
    }

    @Test func everyReferenceRowMatches() throws {
        let rows = try Self.referenceRows()
        #expect(rows.count == 111 * Festival.allCases.count)
        for row in rows {
            let festival = try #require(Festival(rawValue: row.festival), "\(row)")
            #expect(festival.date(in: row.year)?.description == row.date, "\(row)")
        }
        for year in 1990...2100 {
            #expect(Set(rows.filter { $0.year == year }.map { $0.festival }) == Set(Festival.allCases.map(\.rawValue)))
        }
    }

    @Test func handCheckedDates() {
        let expected: [(Festival, Int, String)] = [
            (.springFestival, 2024, "2024-02-10"), (.springFestival, 2025, "2025-01-29"),
            (.springFestival, 2026, "2026-02-17"), (.midAutumn, 2024, "2024-09-17"), (.midAutumn, 2025, "2025-10-06"),
            (.dragonBoat, 2025, "2025-05-31"), (.qingming, 2024, "2024-04-04"), (.qingming, 2025, "2025-04-04"),
            (.lanternFestival, 2025, "2025-02-12"), (.newYear, 2025, "2025-01-01"), (.nationalDay, 2030, "2030-10-01"),
        ]
        for (festival, year, date) in expected {
            #expect(festival.date(in: year)?.description == date, "\(festival) \(year)")
        }
    }

    @Test func lunarFestivalsFallInTheGregorianYearTheirLunarYearStarts() {
        for year in 1990...2100 {
            for festival in Festival.allCases where festival.isLunar {
                #expect(festival.date(in: year)?.year == year, "\(festival) \(year)")
            }
        }
    }

    @Test func festivalsOnADayAndAllInAYear() {
        // 2020: Mid-Autumn fell on National Day.
        #expect(Festival.festivals(on: LocalDate("2020-10-01")!) == [.midAutumn, .nationalDay])
        #expect(Festival.festivals(on: LocalDate("2025-01-29")!) == [.springFestival])
        #expect(Festival.festivals(on: LocalDate("2025-01-30")!).isEmpty)
        let year = Festival.all(in: 2025)
        #expect(
            year.map { $0.0 } == [
                .newYear, .springFestival, .lanternFestival, .qingming, .labourDay, .dragonBoat, .nationalDay,
                .midAutumn, .doubleNinth,
            ])
        #expect(year.map { $0.1 } == year.map { $0.1 }.sorted())
        #expect(Festival.all(in: 2150).map { $0.0 } == [.newYear, .labourDay, .nationalDay])
    }

    @Test func namesAndKinds() throws {
        #expect(
            Festival.allCases.filter(\.isLunar) == [
                .springFestival, .lanternFestival, .dragonBoat, .midAutumn, .doubleNinth,
            ])
        let names = ["元旦", "春节", "元宵节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "重阳节"]
        #expect(Festival.allCases.map(\.chineseName) == names)
        let json = try JSONEncoder().encode([Festival.lanternFestival, .labourDay])
        #expect(String(decoding: json, as: UTF8.self) == #"["lantern","labour_day"]"#)
        #expect(try JSONDecoder().decode([Festival].self, from: json) == [.lanternFestival, .labourDay])
    }
}

@Suite struct ChineseCalendarTests {
    @Test func everySupportedDayRoundTripsAndDaysRunOn() throws {
        var date = try #require(LocalDate("1900-01-31"))
        var previous: LunarDate?
        while let lunar = ChineseCalendar.lunarDate(of: date) {
            let back = ChineseCalendar.solarDate(
                lunarYear: lunar.year, month: lunar.month, day: lunar.day, leap: lunar.isLeapMonth)
            #expect(back == date, "\(date) -> \(lunar)")
            if let previous, lunar.day != previous.day + 1 {
                // A new month: day 1, after a month of 29 or 30 days.
                #expect(lunar.day == 1 && (29...30).contains(previous.day), "\(date) -> \(lunar)")
            }
            previous = lunar
            date = date.addingDays(1)
        }
        #expect(date.description == "2101-01-29")  // the day after lunar 2100-12-29
        #expect(ChineseCalendar.lunarDate(of: LocalDate("1900-01-30")!) == nil)
    }

    @Test func leapMonths() {
        // From the reference sources: 2020 leap 4th, 2023 leap 2nd, 2033 leap 11th (the "2033 problem").
        #expect(ChineseCalendar.leapMonth(lunarYear: 2020) == 4)
        #expect(ChineseCalendar.leapMonth(lunarYear: 2023) == 2)
        #expect(ChineseCalendar.leapMonth(lunarYear: 2033) == 11)
        #expect(ChineseCalendar.leapMonth(lunarYear: 2024) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 2020, month: 4, day: 1, leap: true)?.description == "2020-05-23")
        #expect(ChineseCalendar.solarDate(lunarYear: 2023, month: 2, day: 1, leap: true)?.description == "2023-03-22")
        #expect(ChineseCalendar.solarDate(lunarYear: 2033, month: 11, day: 1, leap: true)?.description == "2033-12-22")
        #expect(ChineseCalendar.solarDate(lunarYear: 2033, month: 11, day: 1)?.description == "2033-11-22")
        #expect(
            ChineseCalendar.lunarDate(of: LocalDate("2023-04-01")!)
                == LunarDate(year: 2023, month: 2, day: 11, isLeapMonth: true))
        // Every year 1990-2100 spans 12 or 13 months, the leap month after the one it repeats.
        for year in 1990...2100 {
            let months = ChineseCalendar.months(of: year)
            #expect(months.count == (ChineseCalendar.leapMonth(lunarYear: year) == nil ? 12 : 13))
            let days = months.reduce(0) { $0 + $1.days }
            #expect([353, 354, 355, 383, 384, 385].contains(days), "\(year): \(days) days")
        }
    }

    @Test func daysThatDoNotExistAreNil() {
        #expect(ChineseCalendar.solarDate(lunarYear: 2024, month: 12, day: 30) == nil)  // a 29-day month
        #expect(ChineseCalendar.solarDate(lunarYear: 2024, month: 12, day: 29)?.description == "2025-01-28")
        #expect(ChineseCalendar.solarDate(lunarYear: 2023, month: 2, day: 30, leap: true) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 2023, month: 3, day: 1, leap: true) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 2024, month: 4, day: 1, leap: true) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 2024, month: 13, day: 1) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 2024, month: 0, day: 1) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 2024, month: 1, day: 0) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 1899, month: 1, day: 1) == nil)
        #expect(ChineseCalendar.solarDate(lunarYear: 2101, month: 1, day: 1) == nil)
        #expect(ChineseCalendar.daysInMonth(lunarYear: 2024, month: 12) == 29)
        #expect(ChineseCalendar.supportedYears.contains(1990) && ChineseCalendar.supportedYears.contains(2100))
    }

    /// Foundation's ICU-backed calendar is a third implementation; it agrees wherever the new moon is not within
    /// seconds of midnight. Later years are left out: ICU starts months on 2057-09-29 and 2097-08-08, the references
    /// on 09-28 and 08-07 (see scripts/gen-festival-reference.py).
    @Test func agreesWithFoundationsChineseCalendarFrom1990To2050() throws {
        var chinese = Calendar(identifier: .chinese)
        chinese.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = chinese.timeZone
        var date = try #require(LocalDate("1990-01-01"))
        var differences: [String] = []
        while date.year <= 2050 {
            let noon = try #require(
                gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12)))
            let icu = chinese.dateComponents([.month, .day, .isLeapMonth], from: noon)
            let ours = try #require(ChineseCalendar.lunarDate(of: date))
            if icu.month != ours.month || icu.day != ours.day || icu.isLeapMonth != ours.isLeapMonth {
                differences.append("\(date): \(ours), ICU \(icu)")
            }
            date = date.addingDays(1)
        }
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }
}
