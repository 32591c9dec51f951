#!/usr/bin/env python3
"""Regenerate Tests/Fixtures/calendar/festivals-1990-2100.csv and check the Swift lunar table.

The Swift module (Sources/RevisitCore/Calendar) computes festival dates from a compact table. This script
derives the same facts from sources that do not use that table, and stops if any two disagree (lunar-python and
sxtwl both descend from 许剑伟's 寿星天文历; lunardate and the ephem reckoning share nothing with them):

  lunar months (start date, length, leap flag) for every lunar year:
    * lunardate     -- pure-Python table (its own encoding), lunar years 1900-2099
    * lunar-python  -- 6tail's port of the 寿星万年历 astronomical algorithms
    * sxtwl         -- the C++ 寿星天文历 library
    * ephem         -- computed here from ephem's (VSOP87/ELP) new moons and principal solar terms with the
                       GB/T 33661-2017 rules, in Beijing time (UTC+8); modern rules, so only from 1930 on
  Qingming (sun's apparent ecliptic longitude reaches 15 degrees, Beijing date):
    * ephem (computed here), lunar-python's solar-term table, sxtwl's solar-term days

Install: python3 -m pip install lunardate==0.3.0 lunar-python==1.4.8 sxtwl==2.0.7 ephem==4.2.1
Run from anywhere: python3 scripts/gen-festival-reference.py
"""

import csv
import datetime
import math
import re
import sys
import warnings
from pathlib import Path

import ephem
import lunardate
import sxtwl
from lunar_python import LunarYear, Solar

warnings.simplefilter("ignore", DeprecationWarning)  # lunardate renamed its camelCase methods

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "Tests/Fixtures/calendar/festivals-1990-2100.csv"
SWIFT_TABLE = ROOT / "Sources/RevisitCore/Calendar/ChineseCalendar+Table.swift"
FIXTURE_YEARS = range(1990, 2101)
TABLE_YEARS = range(1900, 2101)  # what the Swift table claims to cover
EPHEM_FROM = 1930  # before 1929 China's calendar used Beijing local mean time, not UTC+8
BEIJING = 8 / 24

# Known, explained disagreements: (source, lunar year) -> why that source is left out for that year. Any other
# disagreement stops the script.
OUTVOTED = {
    ("lunardate", 1933): "has leap month 5 of 29 days; new moon 1933-07-23 00:03 Beijing time makes it 30",
    ("lunardate", 1954): "starts month 11 on 11-26; the new moon was 1954-11-25 20:30 Beijing time",
    ("lunardate", 1978): "starts month 8 on 09-02; the new moon was 1978-09-03 00:09 Beijing time",
    # The new moon of 2057-09-28 falls within seconds of midnight (ephem: 23:59:50 Beijing time, with its
    # delta T of 124 s), so which day starts month 9 hinges on how far Earth's rotation will have slowed (see
    # dotnet/runtime#107032). lunardate, sxtwl, ephem and, as reported in sebastienros/jint#3484, the Hong Kong
    # Observatory's table say 09-28; lunar-python 1.4.8, the "lunarInfo" copies in circulation and Foundation's
    # ICU calendar say 09-29. Only Double Ninth 2057 depends on it (10-06 here, 10-07 the other way).
    # 2089-09-04 (Mid-Autumn 2089) and 2097-08-07 are close calls too, but every source here agrees on them.
    ("lunar-python", 2057): "month 9 from 2057-09-29 (a new moon at midnight; see above)",
}

LUNAR_FESTIVALS = [("spring_festival", 1, 1), ("lantern", 1, 15), ("dragon_boat", 5, 5),
                   ("mid_autumn", 8, 15), ("double_ninth", 9, 9)]
SOLAR_FESTIVALS = [("new_year", 1, 1), ("labour_day", 5, 1), ("national_day", 10, 1)]
ORDER = ["new_year", "spring_festival", "lantern", "qingming", "labour_day", "dragon_boat", "mid_autumn",
         "national_day", "double_ninth"]

def with_lengths(starts, next_start):
    """[(month, leap, first day)] plus the first day after the year -> [(month, leap, first day, length)]."""
    ends = [s[2] for s in starts[1:]] + [next_start]
    return [(m, leap, start, (end - start).days) for (m, leap, start), end in zip(starts, ends)]


# Each *_months(year) gives the months of a lunar year in order: [(number, is leap, first day, length in days)].

# --- lunardate -------------------------------------------------------------------------------------------------

def lunardate_months(year):
    if not 1900 <= year <= 2099:
        return None
    leap = lunardate.LunarDate.leapMonthForYear(year)
    starts = []
    for m in range(1, 13):
        starts.append((m, False, lunardate.LunarDate(year, m, 1).toSolarDate()))
        if leap == m:
            starts.append((m, True, lunardate.LunarDate(year, m, 1, True).toSolarDate()))
    if year < 2099:
        nxt = lunardate.LunarDate(year + 1, 1, 1).toSolarDate()
    else:
        # lunardate has no lunar 2100: walk to the first day it no longer places in month 12 of 2099.
        nxt = starts[-1][2]
        while lunardate.LunarDate.fromSolarDate(nxt.year, nxt.month, nxt.day).month == 12:
            nxt += datetime.timedelta(days=1)
    return with_lengths(starts, nxt)


# --- lunar-python ----------------------------------------------------------------------------------------------

def jd_to_date(jd):
    s = Solar.fromJulianDay(jd)
    return datetime.date(s.getYear(), s.getMonth(), s.getDay())


def lunar_python_months(year):
    months = [m for m in LunarYear.fromYear(year).getMonths() if m.getYear() == year]
    return [(abs(m.getMonth()), m.getMonth() < 0, jd_to_date(m.getFirstJulianDay()), m.getDayCount())
            for m in months]


# --- sxtwl -----------------------------------------------------------------------------------------------------

def sxtwl_date(year, month, day, leap=False):
    d = sxtwl.fromLunar(year, month, day, leap)
    return datetime.date(d.getSolarYear(), d.getSolarMonth(), d.getSolarDay())


def sxtwl_months(year):
    leap = sxtwl.getRunMonth(year)
    starts = []
    for m in range(1, 13):
        starts.append((m, False, sxtwl_date(year, m, 1)))
        if leap == m:
            starts.append((m, True, sxtwl_date(year, m, 1, True)))
    return with_lengths(starts, sxtwl_date(year + 1, 1, 1))


# --- ephem: the calendar rules applied to ephemeris new moons and solar terms ----------------------------------

def beijing_date(d):
    return (ephem.Date(d + BEIJING)).datetime().date()


def sun_longitude(d):
    sun = ephem.Sun()
    sun.compute(d)
    # Apparent geocentric position to ecliptic longitude of date: what ephem's own moon-phase search does.
    return ephem._libastro.eq_ecl(d, sun.g_ra, sun.g_dec)[0]


def solar_term(year, degrees):
    """Beijing date when the sun's apparent longitude reaches `degrees` (0 = March equinox) in `year`."""
    target = math.radians(degrees)
    guess = ephem.Date(datetime.datetime(year, 3, 20)) + (degrees % 360) / 360 * 365.2422
    if degrees >= 270 + 15:  # 285-345 degrees: January to March, before that year's equinox
        guess -= 365.2422

    def f(d):
        return (sun_longitude(d) - target + math.pi) % (2 * math.pi) - math.pi

    return beijing_date(ephem.newton(f, guess, guess + 0.1))


def new_moons(first, last):
    out, d = [], ephem.Date(first)
    while d < ephem.Date(last):
        d = ephem.next_new_moon(d)
        out.append(beijing_date(d))
        d = ephem.Date(d + 1)
    return out


class EphemCalendar:
    """Months from new moons: month 11 holds the winter solstice; in a 13-month solstice year the first month
    without a principal term (sun longitude a multiple of 30 degrees) is the leap month."""

    def __init__(self, first_year, last_year):
        self.moons = new_moons(datetime.datetime(first_year - 1, 10, 1), datetime.datetime(last_year + 2, 3, 1))
        self.principal = sorted(solar_term(y, deg) for y in range(first_year - 1, last_year + 3)
                                for deg in range(0, 360, 30))
        solstices = {y: solar_term(y, 270) for y in range(first_year - 1, last_year + 2)}
        self.labels = {}  # index into moons -> (month, leap)
        for y in range(first_year - 1, last_year + 1):
            a = self.month_holding(solstices[y])
            b = self.month_holding(solstices[y + 1])
            assert b - a in (12, 13), f"solstice year {y}: {b - a} months"
            leap_found = b - a == 12  # 12 months in between: no leap month this solstice year
            number = 11
            self.labels[a] = (11, False)
            for i in range(a + 1, b):
                if not leap_found and not self.has_principal(i):
                    leap_found = True
                    self.labels[i] = (number, True)
                    continue
                number = number % 12 + 1
                self.labels[i] = (number, False)

    def month_holding(self, day):
        return max(i for i, start in enumerate(self.moons) if start <= day)

    def has_principal(self, i):
        return any(self.moons[i] <= d < self.moons[i + 1] for d in self.principal)

    def months(self, year):
        first = next(i for i in sorted(self.labels) if self.labels[i] == (1, False) and self.moons[i].year == year)
        out = []
        i = first
        while True:
            month, leap = self.labels[i]
            out.append((month, leap, self.moons[i], (self.moons[i + 1] - self.moons[i]).days))
            i += 1
            if self.labels[i] == (1, False):
                return out


# --- Qingming --------------------------------------------------------------------------------------------------

def qingming_sources(year):
    by_ephem = solar_term(year, 15)
    table = Solar.fromYmd(year, 1, 1).getLunar().getJieQiTable()
    s = table["清明"]
    by_lunar_python = datetime.date(s.getYear(), s.getMonth(), s.getDay())
    # sxtwl numbers the solar terms from the winter solstice: 7 is Qingming.
    by_sxtwl = next(datetime.date(year, 4, d) for d in range(1, 11)
                    if sxtwl.fromSolar(year, 4, d).hasJieQi() and sxtwl.fromSolar(year, 4, d).getJieQi() == 7)
    return {"ephem": by_ephem, "lunar-python": by_lunar_python, "sxtwl": by_sxtwl}


# --- the Swift table -------------------------------------------------------------------------------------------

def swift_array(text, name):
    """The integer literals of `static let <name>: [...] = [ ... ]` in the Swift table file, comments dropped."""
    body = re.search(rf"static let {name}: \[\w+\] = \[(.*?)\]", text, re.S).group(1)
    values = [int(v, 0) for v in re.findall(r"0x[0-9a-fA-F]+|\d+", re.sub(r"//[^\n]*", "", body))]
    assert len(values) == len(TABLE_YEARS), f"{SWIFT_TABLE.name}: {name} has {len(values)} entries"
    return dict(zip(TABLE_YEARS, values))


def swift_table():
    """Decode ChineseCalendar+Table.swift the way the Swift code does: months per lunar year, Qingming per year."""
    text = SWIFT_TABLE.read_text()
    months, start = {}, datetime.date(1900, 1, 31)  # lunar 1900-01-01
    for year, word in swift_array(text, "yearInfo").items():
        leap, months[year] = word & 0xF, []
        for m in range(1, 13):
            months[year].append((m, False, start, 30 if word & (0x8000 >> (m - 1)) else 29))
            start += datetime.timedelta(days=months[year][-1][3])
            if m == leap:
                months[year].append((m, True, start, 30 if word & 0x10000 else 29))
                start += datetime.timedelta(days=months[year][-1][3])
    qingming = {year: datetime.date(year, 4, day) for year, day in swift_array(text, "qingmingDay").items()}
    return months, qingming


def fail(message):
    sys.exit(f"gen-festival-reference: {message}")


def main():
    eph = EphemCalendar(EPHEM_FROM, TABLE_YEARS[-1])
    sources = {"lunardate": lunardate_months, "lunar-python": lunar_python_months, "sxtwl": sxtwl_months,
               "ephem": lambda year: eph.months(year) if year >= EPHEM_FROM else None}
    reference = {}
    for year in TABLE_YEARS:
        found = {name: months(year) for name, months in sources.items()}
        found = {name: months for name, months in found.items()
                 if months is not None and (name, year) not in OUTVOTED}
        distinct = {tuple(m) for m in found.values()}
        if len(distinct) != 1:
            fail(f"lunar year {year}: sources disagree: {found}")
        reference[year] = next(iter(found.values()))
        for source, outvoted_year in OUTVOTED:
            if outvoted_year == year and sources[source](year) == reference[year]:
                fail(f"{source} now agrees for {year}: drop it from OUTVOTED")

    qingming = {}
    for year in TABLE_YEARS:
        found = qingming_sources(year)
        if year < EPHEM_FROM:
            del found["ephem"]
        if len(set(found.values())) != 1:
            fail(f"Qingming {year}: sources disagree: {found}")
        qingming[year] = found["lunar-python"]

    rows = []
    for year in FIXTURE_YEARS:
        dates = {name: datetime.date(year, m, d) for name, m, d in SOLAR_FESTIVALS}
        for name, month, day in LUNAR_FESTIVALS:
            first = next(start for m, leap, start, _ in reference[year] if m == month and not leap)
            dates[name] = first + datetime.timedelta(days=day - 1)
        dates["qingming"] = qingming[year]
        rows += [(year, name, dates[name].isoformat()) for name in ORDER]

    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    with FIXTURE.open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["year", "festival", "date"])
        writer.writerows(rows)
    print(f"{FIXTURE.relative_to(ROOT)}: {len(rows)} rows")

    # Last, so that a bad table still leaves a fresh fixture behind.
    swift_months, swift_qingming = swift_table()
    for year in TABLE_YEARS:
        if swift_months[year] != reference[year]:
            fail(f"{SWIFT_TABLE.name}: lunar year {year} is {swift_months[year]}, sources say {reference[year]}")
        if swift_qingming[year] != qingming[year]:
            fail(f"{SWIFT_TABLE.name}: Qingming {year} is {swift_qingming[year]}, sources say {qingming[year]}")
    print(f"{SWIFT_TABLE.name}: every month of lunar years {TABLE_YEARS[0]}-{TABLE_YEARS[-1]} and every Qingming match")


if __name__ == "__main__":
    main()
