/// Data for `ChineseCalendar` and `Festival`, lunar years and Gregorian years 1900-2100.
///
/// Checked month by month against lunardate, lunar-python, sxtwl and an ephem-based reckoning by
/// `scripts/gen-festival-reference.py`, which reads this file: keep the layout (one literal per year).
extension ChineseCalendar {
    /// One word per lunar year from 1900 in the common "lunarInfo" layout: bits 15...4 say whether months 1...12
    /// have 30 days (bit 15 = month 1), bits 3...0 name the leap month (0 = none), bit 16 says the leap month has
    /// 30 days. Month 1 of 1900 began on 1900-01-31.
    ///
    /// Where the sources agree against the copies in circulation, this follows the sources: 1933 (the leap 5th
    /// month has 30 days), 1996 (some copies get months 5 to 8 wrong), 2060 (months 3 and 4 swapped). 2057 starts
    /// month 9 on 09-28, as the Hong Kong Observatory is reported to; the new moon is within seconds of midnight and
    /// some tables say 09-29.
    static let yearInfo: [UInt32] = [
        0x04bd8, 0x04ae0, 0x0a570, 0x054d5, 0x0d260, 0x0d950, 0x16554, 0x056a0, 0x09ad0, 0x055d2,  // 1900-1909
        0x04ae0, 0x0a5b6, 0x0a4d0, 0x0d250, 0x1d255, 0x0b540, 0x0d6a0, 0x0ada2, 0x095b0, 0x14977,  // 1910-1919
        0x04970, 0x0a4b0, 0x0b4b5, 0x06a50, 0x06d40, 0x1ab54, 0x02b60, 0x09570, 0x052f2, 0x04970,  // 1920-1929
        0x06566, 0x0d4a0, 0x0ea50, 0x16a95, 0x05ad0, 0x02b60, 0x186e3, 0x092e0, 0x1c8d7, 0x0c950,  // 1930-1939
        0x0d4a0, 0x1d8a6, 0x0b550, 0x056a0, 0x1a5b4, 0x025d0, 0x092d0, 0x0d2b2, 0x0a950, 0x0b557,  // 1940-1949
        0x06ca0, 0x0b550, 0x15355, 0x04da0, 0x0a5b0, 0x14573, 0x052b0, 0x0a9a8, 0x0e950, 0x06aa0,  // 1950-1959
        0x0aea6, 0x0ab50, 0x04b60, 0x0aae4, 0x0a570, 0x05260, 0x0f263, 0x0d950, 0x05b57, 0x056a0,  // 1960-1969
        0x096d0, 0x04dd5, 0x04ad0, 0x0a4d0, 0x0d4d4, 0x0d250, 0x0d558, 0x0b540, 0x0b6a0, 0x195a6,  // 1970-1979
        0x095b0, 0x049b0, 0x0a974, 0x0a4b0, 0x0b27a, 0x06a50, 0x06d40, 0x0af46, 0x0ab60, 0x09570,  // 1980-1989
        0x04af5, 0x04970, 0x064b0, 0x074a3, 0x0ea50, 0x06b58, 0x05ac0, 0x0ab60, 0x096d5, 0x092e0,  // 1990-1999
        0x0c960, 0x0d954, 0x0d4a0, 0x0da50, 0x07552, 0x056a0, 0x0abb7, 0x025d0, 0x092d0, 0x0cab5,  // 2000-2009
        0x0a950, 0x0b4a0, 0x0baa4, 0x0ad50, 0x055d9, 0x04ba0, 0x0a5b0, 0x15176, 0x052b0, 0x0a930,  // 2010-2019
        0x07954, 0x06aa0, 0x0ad50, 0x05b52, 0x04b60, 0x0a6e6, 0x0a4e0, 0x0d260, 0x0ea65, 0x0d530,  // 2020-2029
        0x05aa0, 0x076a3, 0x096d0, 0x04afb, 0x04ad0, 0x0a4d0, 0x1d0b6, 0x0d250, 0x0d520, 0x0dd45,  // 2030-2039
        0x0b5a0, 0x056d0, 0x055b2, 0x049b0, 0x0a577, 0x0a4b0, 0x0aa50, 0x1b255, 0x06d20, 0x0ada0,  // 2040-2049
        0x14b63, 0x09370, 0x049f8, 0x04970, 0x064b0, 0x168a6, 0x0ea50, 0x06aa0, 0x1a6c4, 0x0aae0,  // 2050-2059
        0x092e0, 0x0d2e3, 0x0c960, 0x0d557, 0x0d4a0, 0x0da50, 0x05d55, 0x056a0, 0x0a6d0, 0x055d4,  // 2060-2069
        0x052d0, 0x0a9b8, 0x0a950, 0x0b4a0, 0x0b6a6, 0x0ad50, 0x055a0, 0x0aba4, 0x0a5b0, 0x052b0,  // 2070-2079
        0x0b273, 0x06930, 0x07337, 0x06aa0, 0x0ad50, 0x14b55, 0x04b60, 0x0a570, 0x054e4, 0x0d160,  // 2080-2089
        0x0e968, 0x0d520, 0x0daa0, 0x16aa6, 0x056d0, 0x04ae0, 0x0a9d4, 0x0a2d0, 0x0d150, 0x0f252,  // 2090-2099
        0x0d520,  // 2100
    ]

    /// The day of April on which Qingming (the sun at 15 degrees ecliptic longitude, Beijing time) falls, one per
    /// Gregorian year from 1900.
    static let qingmingDay: [UInt8] = [
        5, 5, 6, 6, 5, 5, 6, 6, 5, 5,  // 1900-1909
        6, 6, 5, 5, 5, 6, 5, 5, 5, 6,  // 1910-1919
        5, 5, 5, 6, 5, 5, 5, 6, 5, 5,  // 1920-1929
        5, 6, 5, 5, 5, 6, 5, 5, 5, 6,  // 1930-1939
        5, 5, 5, 6, 5, 5, 5, 5, 5, 5,  // 1940-1949
        5, 5, 5, 5, 5, 5, 5, 5, 5, 5,  // 1950-1959
        5, 5, 5, 5, 5, 5, 5, 5, 5, 5,  // 1960-1969
        5, 5, 5, 5, 5, 5, 4, 5, 5, 5,  // 1970-1979
        4, 5, 5, 5, 4, 5, 5, 5, 4, 5,  // 1980-1989
        5, 5, 4, 5, 5, 5, 4, 5, 5, 5,  // 1990-1999
        4, 5, 5, 5, 4, 5, 5, 5, 4, 4,  // 2000-2009
        5, 5, 4, 4, 5, 5, 4, 4, 5, 5,  // 2010-2019
        4, 4, 5, 5, 4, 4, 5, 5, 4, 4,  // 2020-2029
        5, 5, 4, 4, 5, 5, 4, 4, 5, 5,  // 2030-2039
        4, 4, 4, 5, 4, 4, 4, 5, 4, 4,  // 2040-2049
        4, 5, 4, 4, 4, 5, 4, 4, 4, 5,  // 2050-2059
        4, 4, 4, 5, 4, 4, 4, 5, 4, 4,  // 2060-2069
        4, 5, 4, 4, 4, 4, 4, 4, 4, 4,  // 2070-2079
        4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  // 2080-2089
        4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  // 2090-2099
        5,  // 2100
    ]
}
