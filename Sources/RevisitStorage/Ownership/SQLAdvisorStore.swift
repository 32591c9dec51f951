import Foundation
import RevisitCore
import SQLKit

/// Each advisor's book and work (DOMAIN §4, §5), summed per store in four grouped statements so the
/// manager's comparison costs the same as one advisor's page.
public struct SQLAdvisorStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The store's active advisors (and anyone else who owns customers there), as of a day.
    public func summaries(storeId: Int64, asOf: LocalDate, scope: Scope) async throws -> [AdvisorSummary] {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        var byId: [Int64: AdvisorSummary] = [:]
        for advisor in try await database.withConnection({ db in
            try await SQLOwnershipStore.advisors(storeId: storeId, on: db)
        }) {
            byId[advisor.id] = AdvisorSummary(advisorId: advisor.id, name: advisor.name)
        }
        var lastVisits: [Int64: [Int: Int]] = [:]
        for row in try await database.all(
            """
            SELECT c.owner_id, s.value_class, s.churn_stage, substr(s.last_visit, 1, 7) AS month, COUNT(*) AS n,
                u.name
            FROM customers c
            JOIN users u ON u.id = c.owner_id
            LEFT JOIN customer_segments s ON s.store_id = c.store_id AND s.customer_id = c.id
            WHERE c.store_id = \(bind: storeId) AND c.merged_into_id IS NULL AND c.owner_id IS NOT NULL
            GROUP BY c.owner_id, u.name, s.value_class, s.churn_stage, substr(s.last_visit, 1, 7)
            """
        ) {
            let owner = try row.int64("owner_id")
            let count = Int(try row.int64("n"))
            let name = try row.string("name")
            var summary = byId[owner] ?? AdvisorSummary(advisorId: owner, name: name)
            summary.customers += count
            if let value = try row.optionalString("value_class") { summary.value[value, default: 0] += count }
            if let stage = try row.optionalString("churn_stage") { summary.churnStage[stage, default: 0] += count }
            if let month = try row.optionalString("month").flatMap({ MonthChurn.index(Substring($0)) }) {
                lastVisits[owner, default: [:]][month, default: 0] += count
            }
            byId[owner] = summary
        }
        for (owner, months) in lastVisits {
            byId[owner]?.monthlyChurn = MonthChurn.series(lastVisits: months, asOf: asOf)
        }
        for row in try await database.all(
            """
            SELECT advisor_id, opened_on, COUNT(*) AS n FROM repair_orders
            WHERE store_id = \(bind: storeId) AND advisor_id IS NOT NULL
                AND opened_on > \(bind: asOf.addingDays(-30).description) AND opened_on <= \(bind: asOf.description)
            GROUP BY advisor_id, opened_on
            """
        ) {
            let advisor = try row.int64("advisor_id")
            let day = try row.string("opened_on")
            let count = Int(try row.int64("n"))
            byId[advisor]?.receptions[day] = count
            if day == asOf.description { byId[advisor]?.receptionsToday = count }
        }
        for row in try await database.all(
            """
            SELECT owner_id, type, status, CASE WHEN outcome IS NULL THEN 0 ELSE 1 END AS worked, COUNT(*) AS n
            FROM reminders
            WHERE store_id = \(bind: storeId) AND owner_id IS NOT NULL
                AND due_date > \(bind: asOf.addingDays(-30).description) AND due_date <= \(bind: asOf.description)
            GROUP BY owner_id, type, status, CASE WHEN outcome IS NULL THEN 0 ELSE 1 END
            """
        ) {
            let owner = try row.int64("owner_id")
            let type = try row.string("type")
            let count = Int(try row.int64("n"))
            byId[owner]?.remindersDue[type, default: 0] += count
            if try row.int64("worked") == 1 { byId[owner]?.remindersWorked[type, default: 0] += count }
            if try row.string("status") == ReminderStatus.converted.rawValue {
                byId[owner]?.remindersConverted[type, default: 0] += count
            }
        }
        for id in byId.keys where byId[id]?.monthlyChurn.isEmpty == true {
            byId[id]?.monthlyChurn = MonthChurn.series(lastVisits: [:], asOf: asOf)
        }
        return byId.values.sorted { ($0.name, $0.advisorId) < ($1.name, $1.advisorId) }
    }

    /// Live customers of the store without an owner.
    public func unowned(storeId: Int64, scope: Scope) async throws -> Int {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        return Int(
            try await database.all(
                """
                SELECT COUNT(*) AS n FROM customers
                WHERE store_id = \(bind: storeId) AND merged_into_id IS NULL AND owner_id IS NULL
                """
            ).first?.int64("n") ?? 0)
    }
}

extension SQLAdvisorStore {
    public func reminderWork(storeId: Int64, asOf: LocalDate, scope: Scope) async throws -> ReminderWork {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        var byDay: [String: (due: Int, worked: Int)] = [:]
        var byType: [String: ReminderWork.Rule] = [:]
        for row in try await database.all(
            """
            SELECT due_date, type, status, CASE WHEN outcome IS NULL THEN 0 ELSE 1 END AS worked, COUNT(*) AS n
            FROM reminders
            WHERE store_id = \(bind: storeId) AND due_date > \(bind: asOf.addingDays(-30).description)
                AND due_date <= \(bind: asOf.description)
            GROUP BY due_date, type, status, CASE WHEN outcome IS NULL THEN 0 ELSE 1 END
            """
        ) {
            guard let type = ReminderType(rawValue: try row.string("type")) else { continue }
            let count = Int(try row.int64("n"))
            let worked = try row.int64("worked") == 1
            var rule = byType[type.rawValue] ?? ReminderWork.Rule(type: type, due: 0, worked: 0, converted: 0)
            rule.due += count
            if worked { rule.worked += count }
            if try row.string("status") == ReminderStatus.converted.rawValue { rule.converted += count }
            byType[type.rawValue] = rule
            if type != .greeting {
                let day = try row.string("due_date")
                var entry = byDay[day] ?? (0, 0)
                entry.due += count
                if worked { entry.worked += count }
                byDay[day] = entry
            }
        }
        let days = (0..<14).reversed().map { back -> ReminderWork.Day in
            let date = asOf.addingDays(-back)
            let entry = byDay[date.description] ?? (0, 0)
            return ReminderWork.Day(date: date, due: entry.due, worked: entry.worked)
        }
        return ReminderWork(days: days, rules: ReminderType.allCases.compactMap { byType[$0.rawValue] })
    }
}
