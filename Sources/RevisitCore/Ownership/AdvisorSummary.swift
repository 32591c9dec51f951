import Foundation

/// One month of an advisor's churn: of their customers not yet churned when the month began (last visit
/// less than twelve months before it), those whose twelve months without a visit ran out in the month.
/// Counted from each customer's last visit, so a customer who came back later is no longer counted.
public struct MonthChurn: Sendable, Equatable, Codable {
    public var month: String
    public var base: Int
    public var churned: Int
    public var rate: Double?

    public init(month: String, base: Int, churned: Int) {
        self.month = month
        self.base = base
        self.churned = churned
        rate = base > 0 ? Double(churned) / Double(base) : nil
    }

    /// "YYYY-MM" as a month number (year × 12 + month − 1) and back.
    public static func index(_ text: Substring) -> Int? {
        guard text.count == 7, let year = Int(text.prefix(4)), let month = Int(text.suffix(2)) else { return nil }
        return year * 12 + month - 1
    }

    public static func label(_ index: Int) -> String { String(format: "%04d-%02d", index / 12, index % 12 + 1) }

    /// The last `months` months up to the as-of month, from customers counted by the month of their
    /// last visit (month number → customers).
    public static func series(lastVisits: [Int: Int], asOf: LocalDate, months: Int = 6) -> [MonthChurn] {
        let current = asOf.year * 12 + asOf.month - 1
        return ((current - months + 1)...current).map { month in
            let markMonth = month - 12
            let base = lastVisits.filter { $0.key >= markMonth }.values.reduce(0, +)
            return MonthChurn(month: label(month), base: base, churned: lastVisits[markMonth] ?? 0)
        }
    }
}

/// An advisor's book of customers and how they work it (DOMAIN §4, §5): the SA's dashboard, and one row
/// of the manager's comparison.
public struct AdvisorSummary: Sendable, Equatable, Codable {
    /// 0 for a team's book (see `TeamSummary`).
    public var advisorId: Int64
    public var name: String
    /// The advisor's team, if they are in one.
    public var teamId: Int64? = nil
    public var customers: Int
    /// Customers by value class and by churn stage, from the last segmentation run.
    public var value: [String: Int]
    public var churnStage: [String: Int]
    public var monthlyChurn: [MonthChurn]
    /// Repair orders the advisor opened per day over the last 30 days (days with none left out).
    public var receptions: [String: Int]
    public var receptionsToday: Int
    /// Reminders due in the last 30 days: how many, how many were worked (an outcome recorded), how many
    /// converted, by rule type.
    public var remindersDue: [String: Int]
    public var remindersWorked: [String: Int]
    public var remindersConverted: [String: Int]

    public init(advisorId: Int64, name: String) {
        self.advisorId = advisorId
        self.name = name
        customers = 0
        value = Dictionary(uniqueKeysWithValues: ValueClass.allCases.map { ($0.rawValue, 0) })
        churnStage = Dictionary(uniqueKeysWithValues: ChurnStage.allCases.map { ($0.rawValue, 0) })
        monthlyChurn = []
        receptions = [:]
        receptionsToday = 0
        remindersDue = [:]
        remindersWorked = [:]
        remindersConverted = [:]
    }

    /// Average receptions on the days the advisor received cars.
    public var receptionsPerDay: Double? {
        receptions.isEmpty ? nil : Double(receptions.values.reduce(0, +)) / Double(receptions.count)
    }

    /// Tasks worked / tasks due (greetings are messages, not tasks, and do not count).
    public var executionRate: Double? {
        let due = remindersDue.filter { $0.key != ReminderType.greeting.rawValue }.values.reduce(0, +)
        let worked = remindersWorked.filter { $0.key != ReminderType.greeting.rawValue }.values.reduce(0, +)
        return due > 0 ? Double(worked) / Double(due) : nil
    }

    /// Converted / due, per rule type and over all service rules.
    public func conversionRate(_ type: ReminderType? = nil) -> Double? {
        let keys = type.map { [$0.rawValue] } ?? ReminderType.allCases.filter { $0 != .greeting }.map(\.rawValue)
        let due = keys.compactMap { remindersDue[$0] }.reduce(0, +)
        let converted = keys.compactMap { remindersConverted[$0] }.reduce(0, +)
        return due > 0 ? Double(converted) / Double(due) : nil
    }

    /// Two books as one (a team's own customers and its members'): counts add up, and so does each
    /// month's churn base and churned, which are counts of disjoint customers.
    public func adding(_ other: AdvisorSummary) -> AdvisorSummary {
        var sum = self
        sum.customers += other.customers
        sum.value.merge(other.value, uniquingKeysWith: +)
        sum.churnStage.merge(other.churnStage, uniquingKeysWith: +)
        var months = Dictionary(uniqueKeysWithValues: monthlyChurn.map { ($0.month, $0) })
        for month in other.monthlyChurn {
            let mine = months[month.month]
            months[month.month] = MonthChurn(
                month: month.month, base: (mine?.base ?? 0) + month.base, churned: (mine?.churned ?? 0) + month.churned)
        }
        sum.monthlyChurn = months.values.sorted { $0.month < $1.month }
        sum.receptions.merge(other.receptions, uniquingKeysWith: +)
        sum.receptionsToday += other.receptionsToday
        sum.remindersDue.merge(other.remindersDue, uniquingKeysWith: +)
        sum.remindersWorked.merge(other.remindersWorked, uniquingKeysWith: +)
        sum.remindersConverted.merge(other.remindersConverted, uniquingKeysWith: +)
        return sum
    }

    /// DOMAIN §4: 8–10 cars a day is the optimum, above 12 too many.
    public static let receptionOptimum = 8...10
    public static let receptionWarning = 12
}

/// A team's figures (DOMAIN §4): its book is the customers it owns as a team plus its members' own, its
/// receptions and reminders its members' and its own; the leader answers for its monthly churn.
public struct TeamSummary: Sendable, Equatable, Codable {
    public var team: AdvisorTeam
    public var book: AdvisorSummary

    public init(team: AdvisorTeam, book: AdvisorSummary) {
        self.team = team
        self.book = book
    }
}

/// A store's reminder work per day and per rule type (DOMAIN §5's execution and conversion rates).
public struct ReminderWork: Sendable, Equatable, Codable {
    public struct Day: Sendable, Equatable, Codable {
        public var date: LocalDate
        public var due: Int
        public var worked: Int

        public init(date: LocalDate, due: Int, worked: Int) {
            self.date = date
            self.due = due
            self.worked = worked
        }
    }

    public struct Rule: Sendable, Equatable, Codable {
        public var type: ReminderType
        public var due: Int
        public var worked: Int
        public var converted: Int

        public init(type: ReminderType, due: Int, worked: Int, converted: Int) {
            self.type = type
            self.due = due
            self.worked = worked
            self.converted = converted
        }
    }

    /// The last 14 days, every day present; tasks only (greetings are messages).
    public var days: [Day]
    /// The last 30 days by rule type.
    public var rules: [Rule]

    public init(days: [Day], rules: [Rule]) {
        self.days = days
        self.rules = rules
    }
}
