import Foundation
import RevisitCore
import SQLKit

extension SQLReminderStore {
    /// Reminders by due date (then id), filtered, a page at a time; the scope's stores only.
    public func reminders(_ query: ReminderQuery, scope: Scope) async throws -> (items: [Reminder], nextCursor: String?)
    {
        if let storeId = query.storeId { try Self.requireReader(storeId, scope) }
        var sql: SQLQueryString = """
            SELECT r.*, c.customer_no, c.name AS customer_name, v.vin, v.plate, s.value_class FROM reminders r
            LEFT JOIN customers c ON c.store_id = r.store_id AND c.id = r.customer_id
            LEFT JOIN vehicles v ON v.store_id = r.store_id AND v.id = r.vehicle_id
            LEFT JOIN customer_segments s ON s.store_id = r.store_id AND s.customer_id = r.customer_id
            WHERE
            """
        sql += " " + scope.storeFilter("r.store_id")
        if let storeId = query.storeId { sql += " AND r.store_id = \(bind: storeId)" }
        if let type = query.type { sql += " AND r.type = \(bind: type.rawValue)" }
        if let status = query.status { sql += " AND r.status = \(bind: status.rawValue)" }
        switch (query.ownerId, query.teamId) {
        case (let owner?, let team?): sql += " AND (r.owner_id = \(bind: owner) OR r.owner_team_id = \(bind: team))"
        case (let owner?, nil): sql += " AND r.owner_id = \(bind: owner)"
        case (nil, let team?): sql += " AND r.owner_team_id = \(bind: team)"
        case (nil, nil): break
        }
        if let number = query.customerNo { sql += " AND c.customer_no = \(bind: number)" }
        if let vin = query.vin { sql += " AND v.vin = \(bind: VIN.normalize(vin))" }
        if let from = query.dueFrom { sql += " AND r.due_date >= \(bind: from.description)" }
        if let to = query.dueTo { sql += " AND r.due_date <= \(bind: to.description)" }
        if let day = query.priorityAsOf {
            sql += """
                 ORDER BY CASE WHEN r.due_date <= \(bind: day.description) THEN 0 ELSE 1 END,
                    COALESCE(s.value_class, 'Z'), r.due_date, r.id LIMIT \(bind: Int64(query.limit))
                """
            return (try await database.all(sql).map(Self.reminder), nil)
        }
        if let cursor = query.cursor {
            let parts = cursor.split(separator: ":")
            guard parts.count == 2, LocalDate(String(parts[0])) != nil, let last = Int64(parts[1]) else {
                throw RevisitError(.validation, code: .invalidCursor, field: "cursor")
            }
            let day = String(parts[0])
            sql += " AND (r.due_date > \(bind: day) OR (r.due_date = \(bind: day) AND r.id > \(bind: last)))"
        }
        sql += " ORDER BY r.due_date, r.id LIMIT \(bind: Int64(query.limit + 1))"
        var items = try await database.all(sql).map(Self.reminder)
        var next: String?
        if items.count > query.limit {
            items.removeLast()
            next = items.last.map { "\($0.dueDate):\($0.id)" }
        }
        return (items, next)
    }

    public func reminder(id: Int64, scope: Scope) async throws -> Reminder {
        guard
            let row = try await database.all(
                """
                SELECT r.*, c.customer_no, c.name AS customer_name, v.vin, v.plate, s.value_class FROM reminders r
                LEFT JOIN customers c ON c.store_id = r.store_id AND c.id = r.customer_id
                LEFT JOIN vehicles v ON v.store_id = r.store_id AND v.id = r.vehicle_id
                LEFT JOIN customer_segments s ON s.store_id = r.store_id AND s.customer_id = r.customer_id
                WHERE
                """ + " " + scope.storeFilter("r.store_id") + " AND r.id = \(bind: id)"
            ).first
        else { throw RevisitError.notFound() }
        return try Self.reminder(row)
    }

    /// Records what came of a reminder: the task is done (a converted one stays converted), with the
    /// outcome, a note, who and when; audited. An advisor works only the reminders they or their team own.
    public func recordOutcome(
        id: Int64, outcome: ReminderOutcome, note: String, scope: Scope
    ) async throws -> Reminder {
        let reminder = try await reminder(id: id, scope: scope)
        guard scope.role.canWorkReminders else { throw RevisitError(.forbidden, code: .forbidden) }
        if scope.role == .serviceAdvisor, reminder.ownerId != scope.userId,
            reminder.ownerId != nil || reminder.ownerTeamId != nil
        {
            let team = try await database.all(
                """
                SELECT team_id FROM advisor_team_members
                WHERE store_id = \(bind: reminder.storeId) AND user_id = \(bind: scope.userId)
                """
            ).first?.int64("team_id")
            guard reminder.ownerId == nil, let team, team == reminder.ownerTeamId else {
                throw RevisitError(.forbidden, code: .forbidden)
            }
        }
        let text = try FieldRules.text(note, field: "note", max: 500, required: false)
        let at = now()
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE reminders SET outcome = \(bind: outcome.rawValue), outcome_note = \(bind: text),
                    outcome_at = \(bind: at.epochMilliseconds), outcome_by = \(bind: scope.login),
                    status = CASE WHEN status = 'converted' THEN status ELSE 'done' END
                WHERE store_id = \(bind: reminder.storeId) AND id = \(bind: id)
                """
            ).run()
            try await AuditWriter.insert(
                AuditRecord(
                    action: .reminderOutcome, entityType: "reminder", entityId: String(id), storeId: reminder.storeId,
                    detail: "\(reminder.type.rawValue) \(outcome.rawValue)"),
                actor: scope.actor, at: at, on: db)
        }
        return try await self.reminder(id: id, scope: scope)
    }

    /// The store's runs, newest first.
    public func runs(storeId: Int64, limit: Int = 20, scope: Scope) async throws -> [ReminderRun] {
        try Self.requireReader(storeId, scope)
        return try await database.all(
            """
            SELECT * FROM reminder_runs WHERE store_id = \(bind: storeId)
            ORDER BY started_at DESC, id DESC LIMIT \(bind: Int64(limit))
            """
        ).map { row in
            ReminderRun(
                id: try row.int64("id"), storeId: try row.int64("store_id"),
                asOf: LocalDate(try row.string("as_of")) ?? LocalDate(year: 2000, month: 1, day: 1)!,
                trigger: ReminderRun.Trigger(rawValue: try row.string("trigger_kind")) ?? .manual,
                created: try JSONDecoder().decode([String: Int].self, from: Data(try row.string("created").utf8)),
                alreadyExisting: Int(try row.int64("already_existing")), converted: Int(try row.int64("converted")),
                durationMs: try row.int64("duration_ms"))
        }
    }

    /// Whether the store has a daily run as of the day.
    public func hasDailyRun(storeId: Int64, asOf: LocalDate) async throws -> Bool {
        try await !database.all(
            """
            SELECT 1 AS one FROM reminder_runs WHERE store_id = \(bind: storeId) AND as_of = \(bind: asOf.description)
                AND trigger_kind = 'daily'
            """
        ).isEmpty
    }

    static func reminder(_ row: any SQLRow) throws -> Reminder {
        let basis = try JSONDecoder().decode([String: String].self, from: Data(try row.string("args").utf8))
        var reminder = Reminder(
            id: try row.int64("id"), storeId: try row.int64("store_id"),
            type: ReminderType(rawValue: try row.string("type")) ?? .maintenance, key: try row.string("reminder_key"),
            customerId: try row.optionalInt64("customer_id"), vehicleId: try row.optionalInt64("vehicle_id"),
            ownerId: try row.optionalInt64("owner_id"),
            dueDate: LocalDate(try row.string("due_date")) ?? LocalDate(year: 2000, month: 1, day: 1)!,
            createdOn: LocalDate(try row.string("created_on")) ?? LocalDate(year: 2000, month: 1, day: 1)!,
            channel: ReminderSettings.Channel(rawValue: try row.string("channel")) ?? .task,
            reason: try row.string("reason"), basis: basis,
            status: ReminderStatus(rawValue: try row.string("status")) ?? .open,
            outcome: try row.optionalString("outcome").flatMap(ReminderOutcome.init(rawValue:)),
            outcomeNote: try row.string("outcome_note"), outcomeBy: try row.optionalString("outcome_by"),
            convertedOn: try row.optionalString("converted_on").flatMap(LocalDate.init),
            customerNo: try row.optionalString("customer_no"), customerName: try row.optionalString("customer_name"),
            vin: try row.optionalString("vin"), plate: try row.optionalString("plate"))
        reminder.ownerTeamId = try row.optionalInt64("owner_team_id")
        reminder.valueClass = try row.optionalString("value_class")
        return reminder
    }
}
