/// A Chinese holiday the reminder engine can send greetings on (DOMAIN §5). Raw values are what settings store.
public enum Festival: String, Sendable, CaseIterable, Codable {
    case newYear = "new_year"
    case springFestival = "spring_festival"
    case lanternFestival = "lantern"
    case qingming
    case labourDay = "labour_day"
    case dragonBoat = "dragon_boat"
    case midAutumn = "mid_autumn"
    case nationalDay = "national_day"
    case doubleNinth = "double_ninth"

    /// Whether the date comes from the lunar calendar (Qingming is a solar term, so no).
    public var isLunar: Bool { lunarMonthDay != nil }

    public var chineseName: String {
        switch self {
        case .newYear: "元旦"
        case .springFestival: "春节"
        case .lanternFestival: "元宵节"
        case .qingming: "清明节"
        case .labourDay: "劳动节"
        case .dragonBoat: "端午节"
        case .midAutumn: "中秋节"
        case .nationalDay: "国庆节"
        case .doubleNinth: "重阳节"
        }
    }

    /// The festival's date in Gregorian year `year`; nil outside `ChineseCalendar.supportedYears` for lunar
    /// festivals and Qingming. A lunar festival is the one of the lunar year that starts in `year` (they all fall
    /// in that Gregorian year), always in the ordinary month, never the leap month of the same number.
    public func date(in year: Int) -> LocalDate? {
        if let (month, day) = lunarMonthDay {
            return ChineseCalendar.solarDate(lunarYear: year, month: month, day: day)
        }
        switch self {
        case .newYear: return LocalDate(year: year, month: 1, day: 1)
        case .labourDay: return LocalDate(year: year, month: 5, day: 1)
        case .nationalDay: return LocalDate(year: year, month: 10, day: 1)
        case .qingming:
            guard ChineseCalendar.supportedYears.contains(year) else { return nil }
            let day = ChineseCalendar.qingmingDay[year - ChineseCalendar.supportedYears.lowerBound]
            return LocalDate(year: year, month: 4, day: Int(day))
        default: return nil  // Lunar ones returned above.
        }
    }

    /// The festivals that fall on `date`, in declaration order.
    public static func festivals(on date: LocalDate) -> [Festival] {
        allCases.filter { $0.date(in: date.year) == date }
    }

    /// Every festival of Gregorian year `year` with its date, earliest first.
    public static func all(in year: Int) -> [(Festival, LocalDate)] {
        // Index as tie-break: `sorted` is not stable, and two festivals may share a day.
        allCases.enumerated()
            .compactMap { index, festival in festival.date(in: year).map { (index, festival, $0) } }
            .sorted { ($0.2, $0.0) < ($1.2, $1.0) }
            .map { ($0.1, $0.2) }
    }

    private var lunarMonthDay: (month: Int, day: Int)? {
        switch self {
        case .springFestival: (1, 1)
        case .lanternFestival: (1, 15)
        case .dragonBoat: (5, 5)
        case .midAutumn: (8, 15)
        case .doubleNinth: (9, 9)
        case .newYear, .qingming, .labourDay, .nationalDay: nil
        }
    }
}
