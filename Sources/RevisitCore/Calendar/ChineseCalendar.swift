/// A day of the Chinese lunisolar calendar (农历). `year` is the lunar year, named after the Gregorian year in
/// which its first month begins.
public struct LunarDate: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    /// A leap month repeats the number of the month before it.
    public let isLeapMonth: Bool

    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }

    /// `2023-闰2-10` style, for logs and test failures.
    public var description: String { "\(year)-\(isLeapMonth ? "闰" : "")\(month)-\(day)" }
}

/// Gregorian ↔ Chinese lunisolar dates from a month-length table (`ChineseCalendar+Table.swift`) rather than
/// Foundation's `.chinese` calendar, whose ICU data on Linux is not ours to check or pin.
public enum ChineseCalendar: Sendable {
    /// Lunar years the table covers (and Gregorian years for Qingming).
    public static let supportedYears: ClosedRange<Int> = 1900...2100

    /// The Gregorian date of a lunar day; nil when that day does not exist (day 30 of a 29-day month, a leap month
    /// the year does not have) or the year is outside `supportedYears`.
    public static func solarDate(lunarYear: Int, month: Int, day: Int, leap: Bool = false) -> LocalDate? {
        guard let length = daysInMonth(lunarYear: lunarYear, month: month, leap: leap), (1...length).contains(day)
        else { return nil }
        var offset = newYearDayNumbers[lunarYear - supportedYears.lowerBound]
        for (number, isLeap, days) in months(of: lunarYear) {
            if number == month && isLeap == leap { break }
            offset += days
        }
        return LocalDate(dayNumber: offset + day - 1)
    }

    /// The lunar date of a Gregorian day; nil before lunar 1900-1-1 (1900-01-31) or after the end of lunar 2100.
    public static func lunarDate(of date: LocalDate) -> LunarDate? {
        let dayNumber = date.dayNumber
        guard let first = newYearDayNumbers.first, let end = newYearDayNumbers.last, (first..<end).contains(dayNumber)
        else { return nil }
        // The last new year on or before the day: newYearDayNumbers is sorted, so a binary search.
        var low = 0
        var high = newYearDayNumbers.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if newYearDayNumbers[middle] <= dayNumber { low = middle } else { high = middle }
        }
        let year = supportedYears.lowerBound + low
        var rest = dayNumber - newYearDayNumbers[low]
        for (month, isLeap, days) in months(of: year) {
            if rest < days { return LunarDate(year: year, month: month, day: rest + 1, isLeapMonth: isLeap) }
            rest -= days
        }
        return nil  // Unreachable: the year's months add up to the gap to the next new year.
    }

    /// The leap month of a lunar year (its number: leap month 4 follows month 4), or nil if it has none.
    public static func leapMonth(lunarYear: Int) -> Int? {
        guard supportedYears.contains(lunarYear) else { return nil }
        let leap = Int(yearInfo[lunarYear - supportedYears.lowerBound] & 0xF)
        return leap == 0 ? nil : leap
    }

    /// 29 or 30; nil for a month the year does not have.
    public static func daysInMonth(lunarYear: Int, month: Int, leap: Bool = false) -> Int? {
        guard supportedYears.contains(lunarYear), (1...12).contains(month) else { return nil }
        let info = yearInfo[lunarYear - supportedYears.lowerBound]
        if leap {
            guard leapMonth(lunarYear: lunarYear) == month else { return nil }
            return info & 0x10000 != 0 ? 30 : 29
        }
        return info & (0x8000 >> UInt32(month - 1)) != 0 ? 30 : 29
    }

    /// The months of a lunar year in order, the leap month after the one it repeats.
    static func months(of lunarYear: Int) -> [(month: Int, isLeap: Bool, days: Int)] {
        var result: [(month: Int, isLeap: Bool, days: Int)] = []
        for month in 1...12 {
            result.append((month, false, daysInMonth(lunarYear: lunarYear, month: month)!))
            if let days = daysInMonth(lunarYear: lunarYear, month: month, leap: true) {
                result.append((month, true, days))
            }
        }
        return result
    }

    /// Day numbers (`LocalDate.dayNumber`) of lunar new year for each supported year, then the day after the last
    /// one ends. Summed from the table once, from lunar 1900-1-1 = 1900-01-31.
    static let newYearDayNumbers: [Int] = {
        var dayNumber = LocalDate(year: 1900, month: 1, day: 31)!.dayNumber
        var result = [dayNumber]
        for year in supportedYears {
            dayNumber += months(of: year).reduce(0) { $0 + $1.days }
            result.append(dayNumber)
        }
        return result
    }()
}
