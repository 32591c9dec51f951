import Foundation
import RevisitCore
import SQLKit

/// Each advisor's and each team's book and work (DOMAIN §4, §5), summed per store in a few grouped
/// statements so the manager's comparison costs the same as one advisor's page.
public struct SQLAdvisorStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The store's active advisors (and anyone else who owns customers there), as of a day.
    public func summaries(storeId: Int64, asOf: LocalDate, scope: Scope) async throws -> [AdvisorSummary] {
        try await books(storeId: storeId, asOf: asOf, scope: scope).advisors
    }

    /// Every advisor's book and every team's (its own customers plus its members'), as of a day.
    public func books(
        storeId: Int64, asOf: LocalDate, scope: Scope
    ) async throws
        -> (advisors: [AdvisorSummary], teams: [TeamSummary])
    {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        let (advisors, teams) = try await database.withConnection { db in
            (
                try await SQLOwnershipStore.advisors(storeId: storeId, on: db),
                try await SQLTeamStore.teams(storeId: storeId, id: nil, on: db)
            )
        }
        var byId: [Int64: AdvisorSummary] = [:]
        for advisor in advisors {
            byId[advisor.id] = AdvisorSummary(advisorId: advisor.id, name: advisor.name)
        }
        var byTeam: [Int64: AdvisorSummary] = [:]
        for team in teams {
            byTeam[team.id] = AdvisorSummary(advisorId: 0, name: team.name)
            for member in team.members { byId[member.id]?.teamId = team.id }
        }
        try await addCustomers(storeId: storeId, asOf: asOf, column: "owner_id", to: &byId)
        try await addCustomers(storeId: storeId, asOf: asOf, column: "owner_team_id", to: &byTeam)
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
        try await addReminders(storeId: storeId, asOf: asOf, column: "owner_id", to: &byId)
        try await addReminders(storeId: storeId, asOf: asOf, column: "owner_team_id", to: &byTeam)
        let books = teams.map { team in
            let own = byTeam[team.id] ?? AdvisorSummary(advisorId: 0, name: team.name)
            var book = team.members.compactMap { byId[$0.id] }.reduce(own) { $0.adding($1) }
            book.advisorId = 0
            book.name = team.name
            book.teamId = team.id
            return TeamSummary(team: team, book: book)
        }
        return (byId.values.sorted { ($0.name, $0.advisorId) < ($1.name, $1.advisorId) }, books)
    }

    /// Customers by class, stage and month of last visit per owner (`column`: an advisor or a team). An
    /// owner the page does not list yet (someone no longer an advisor) is added under the name the same
    /// statement joins.
    private func addCustomers(
        storeId: Int64, asOf: LocalDate, column: String, to owners: inout [Int64: AdvisorSummary]
    ) async throws {
        let named: SQLQueryString =
            column == "owner_id"
            ? "LEFT JOIN users who ON who.id = c.owner_id"
            : "LEFT JOIN advisor_teams who ON who.store_id = c.store_id AND who.id = c.owner_team_id"
        var lastVisits: [Int64: [Int: Int]] = [:]
        for row in try await database.all(
            """
            SELECT c.\(unsafeRaw: column) AS owner, who.name, s.value_class, s.churn_stage,
                substr(s.last_visit, 1, 7) AS month, COUNT(*) AS n
            FROM customers c
            LEFT JOIN customer_segments s ON s.store_id = c.store_id AND s.customer_id = c.id
            """ + " " + named + """
                 WHERE c.store_id = \(bind: storeId) AND c.merged_into_id IS NULL AND c.\(unsafeRaw: column) IS NOT NULL
                GROUP BY c.\(unsafeRaw: column), who.name, s.value_class, s.churn_stage, substr(s.last_visit, 1, 7)
                """
        ) {
            let owner = try row.int64("owner")
            let count = Int(try row.int64("n"))
            if owners[owner] == nil {
                owners[owner] = AdvisorSummary(
                    advisorId: column == "owner_id" ? owner : 0, name: try row.optionalString("name") ?? "#\(owner)")
            }
            owners[owner]?.customers += count
            if let value = try row.optionalString("value_class") { owners[owner]?.value[value, default: 0] += count }
            if let stage = try row.optionalString("churn_stage") {
                owners[owner]?.churnStage[stage, default: 0] += count
            }
            if let month = try row.optionalString("month").flatMap({ MonthChurn.index(Substring($0)) }) {
                lastVisits[owner, default: [:]][month, default: 0] += count
            }
        }
        for id in owners.keys {
            owners[id]?.monthlyChurn = MonthChurn.series(lastVisits: lastVisits[id] ?? [:], asOf: asOf)
        }
    }

    /// Reminders due in the last 30 days per owner (`column`: an advisor or a team), by type: due,
    /// worked, converted.
    private func addReminders(
        storeId: Int64, asOf: LocalDate, column: String, to owners: inout [Int64: AdvisorSummary]
    ) async throws {
        for row in try await database.all(
            """
            SELECT \(unsafeRaw: column) AS owner, type, status, CASE WHEN outcome IS NULL THEN 0 ELSE 1 END AS worked,
                COUNT(*) AS n
            FROM reminders
            WHERE store_id = \(bind: storeId) AND \(unsafeRaw: column) IS NOT NULL
                AND due_date > \(bind: asOf.addingDays(-30).description) AND due_date <= \(bind: asOf.description)
            GROUP BY \(unsafeRaw: column), type, status, CASE WHEN outcome IS NULL THEN 0 ELSE 1 END
            """
        ) {
            let owner = try row.int64("owner")
            let type = try row.string("type")
            let count = Int(try row.int64("n"))
            owners[owner]?.remindersDue[type, default: 0] += count
            if try row.int64("worked") == 1 { owners[owner]?.remindersWorked[type, default: 0] += count }
            if try row.string("status") == ReminderStatus.converted.rawValue {
                owners[owner]?.remindersConverted[type, default: 0] += count
            }
        }
    }

    /// Live customers of the store without an owner.
    public func unowned(storeId: Int64, scope: Scope) async throws -> Int {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        return Int(
            try await database.all(
                """
                SELECT COUNT(*) AS n FROM customers
                WHERE store_id = \(bind: storeId) AND merged_into_id IS NULL AND owner_id IS NULL
                    AND owner_team_id IS NULL
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
