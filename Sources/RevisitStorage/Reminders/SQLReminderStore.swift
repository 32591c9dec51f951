import Foundation
import RevisitCore
import SQLKit

/// Reminders (DOMAIN §5): the store's rules, the daily run that turns them into reminders (each created
/// once, by its key), the lists advisors work, and what came of each.
public struct SQLReminderStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date
    /// Customers or vehicles read per statement during a run.
    let chunkSize: Int

    public init(database: Database, now: @escaping @Sendable () -> Date, chunkSize: Int = 5_000) {
        self.database = database
        self.now = now
        self.chunkSize = max(1, chunkSize)
    }

    static func requireReader(_ storeId: Int64, _ scope: Scope) throws {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
    }

    /// The store's rules: its own when saved, else DOMAIN's.
    public func settings(storeId: Int64, scope: Scope) async throws -> ReminderSettings {
        try Self.requireReader(storeId, scope)
        return try await StoreSettingsTable.load("reminder_settings", storeId: storeId, from: database)
            ?? ReminderSettings()
    }

    public func saveSettings(_ settings: ReminderSettings, storeId: Int64, scope: Scope) async throws {
        try Self.requireReader(storeId, scope)
        guard scope.role.canRunReminders else { throw RevisitError(.forbidden, code: .forbidden) }
        let valid = try settings.validated()
        let at = now()
        try await database.transaction { db in
            try await StoreSettingsTable.save(valid, "reminder_settings", storeId: storeId, at: at, on: db)
        }
    }

    /// Runs every rule of the store as of a day: new reminders are inserted (a key already kept is counted,
    /// not inserted again), messages queued for the rules that speak through one, and reminders followed by
    /// a repair order closed as converted.
    ///
    /// Customers, then vehicles, are read a chunk of ids at a time, and each chunk's reminders written in
    /// a transaction of their own. Memory stays flat whatever the store's size (one statement for all
    /// 1.5 M vehicles of a large store held them all, 1.9 GB), and on SQLite the write lock is held only
    /// while a chunk's reminders are inserted: run in one transaction, a large store's run held it for
    /// 45 s, and every other write (a login, an edit at the front desk) gave up after its 10 s wait. A run cut short is no loss: its reminders are kept by key, and the next run
    /// creates the rest and counts the ones already there. Only the stages a vehicle's anniversary
    /// greeting asks about are kept across the two passes.
    public func run(
        storeId: Int64, asOf: LocalDate, trigger: ReminderRun.Trigger, scope: Scope
    ) async throws
        -> ReminderRun
    {
        try Self.requireReader(storeId, scope)
        guard scope.role.canRunReminders else { throw RevisitError(.forbidden, code: .forbidden) }
        let settings = try await settings(storeId: storeId, scope: scope)
        let segments = try await SQLSegmentStore(database: database, now: now).settings(storeId: storeId, scope: scope)
        let started = now()
        let clock = ContinuousClock.now
        var greetable: [Int64: ChurnStage] = [:]
        var tally = Tally()
        /// A chunk's reminders in a transaction of their own, the rules having run outside it.
        func write(_ found: [(ReminderCandidate, CustomerOwner)]) async throws {
            let created = try await database.transaction { db in
                try await insert(found, storeId: storeId, asOf: asOf, settings: settings, at: started, on: db)
            }
            tally.add(candidates: found.count, created: created)
        }
        var after: Int64 = 0
        while true {
            let from = after
            let rows = try await database.withConnection { db in
                try await customerFacts(
                    storeId: storeId, asOf: asOf, segments: segments, after: from, limit: chunkSize, on: db)
            }
            guard let last = rows.last else { break }
            after = last.facts.customerId
            var found: [(ReminderCandidate, CustomerOwner)] = []
            for (facts, owner) in rows {
                if let stage = facts.churnStage, settings.greetingStages.contains(stage) {
                    greetable[facts.customerId] = stage
                }
                found += ReminderRules.customer(facts, asOf: asOf, settings: settings).map { ($0, owner) }
            }
            try await write(found)
        }
        after = 0
        while true {
            let from = after
            let rows = try await database.withConnection { db in
                try await vehicleFacts(
                    storeId: storeId, asOf: asOf, readings: settings.readingsUsed, after: from, limit: chunkSize,
                    on: db)
            }
            guard let last = rows.last else { break }
            after = last.facts.vehicleId
            var found: [(ReminderCandidate, CustomerOwner)] = []
            for (facts, owner) in rows {
                found += ReminderRules.vehicle(facts, asOf: asOf, settings: settings).map { ($0, owner) }
                if let greeting = ReminderRules.anniversary(
                    facts, ownerStage: facts.customerId.flatMap { greetable[$0] }, asOf: asOf, settings: settings)
                {
                    found.append((greeting, owner))
                }
            }
            try await write(found)
        }
        let counted = tally
        return try await database.transaction { db in
            let converted = try await convert(storeId: storeId, asOf: asOf, on: db)
            var byType = Dictionary(uniqueKeysWithValues: ReminderType.allCases.map { ($0.rawValue, 0) })
            for (type, count) in counted.created { byType[type.rawValue, default: 0] += count }
            let createdCount = counted.created.values.reduce(0, +)
            let existing = counted.candidates - createdCount
            let duration = Int64((ContinuousClock.now - clock) / .milliseconds(1))
            let countsText = String(decoding: try JSONEncoder().encode(byType), as: UTF8.self)
            let id =
                try await db.raw(
                    """
                    INSERT INTO reminder_runs (store_id, as_of, trigger_kind, user_login, created, already_existing,
                        converted, started_at, duration_ms)
                    VALUES (\(bind: storeId), \(bind: asOf.description), \(bind: trigger.rawValue), \(bind: scope.login),
                        \(bind: countsText), \(bind: Int64(existing)), \(bind: Int64(converted)),
                        \(bind: started.epochMilliseconds), \(bind: duration))
                    RETURNING id
                    """
                ).first().map { try $0.int64("id") } ?? 0
            try await AuditWriter.insert(
                AuditRecord(
                    action: .reminderRun, entityType: "reminder_run", entityId: String(id), storeId: storeId,
                    detail: "as of \(asOf) created \(createdCount) existing \(existing)"),
                actor: scope.actor, at: started, on: db)
            return ReminderRun(
                id: id, storeId: storeId, asOf: asOf, trigger: trigger, created: byType,
                alreadyExisting: existing, converted: converted, durationMs: duration)
        }
    }

    struct Tally: Sendable {
        var candidates = 0
        var created: [ReminderType: Int] = [:]

        mutating func add(candidates found: Int, created types: [ReminderType]) {
            candidates += found
            for type in types { created[type, default: 0] += 1 }
        }
    }

    /// Inserts the candidates whose key is new; returns the types of those inserted.
    func insert(
        _ candidates: [(ReminderCandidate, CustomerOwner)], storeId: Int64, asOf: LocalDate,
        settings: ReminderSettings, at: Date, on db: any SQLDatabase
    ) async throws -> [ReminderType] {
        var created: [ReminderType] = []
        let until = asOf.addingDays(settings.conversionDays).description
        let millis = at.epochMilliseconds
        let encoder = JSONEncoder()
        // A few hundred rows a statement keeps every statement under both engines' bind limits.
        for start in stride(from: 0, to: candidates.count, by: 300) {
            let slice = candidates[start..<min(start + 300, candidates.count)]
            var sql: SQLQueryString = """
                INSERT INTO reminders (store_id, reminder_key, type, customer_id, vehicle_id, owner_id, owner_team_id,
                    due_date, created_on, convert_until, channel, reason, args, status, created_at) VALUES 
                """
            for (index, (candidate, owner)) in slice.enumerated() {
                let args = String(decoding: try encoder.encode(candidate.args), as: UTF8.self)
                sql += index == 0 ? "(" : ", ("
                sql += """
                    \(bind: storeId), \(bind: candidate.key), \(bind: candidate.type.rawValue), \(bind: candidate.customerId),
                    \(bind: candidate.vehicleId), \(bind: owner.advisorId), \(bind: owner.teamId), \(bind: candidate.dueDate.description),
                    \(bind: asOf.description), \(bind: until), \(bind: settings.channel(candidate.type).rawValue),
                    \(bind: candidate.reason), \(bind: args), 'open', \(bind: millis))
                    """
            }
            sql += " ON CONFLICT (store_id, reminder_key) DO NOTHING RETURNING id, type, channel, customer_id"
            var messages: [[BulkInsert.Value]] = []
            for row in try await db.raw(sql).all() {
                guard let type = ReminderType(rawValue: try row.string("type")) else { continue }
                created.append(type)
                if try row.string("channel") != ReminderSettings.Channel.task.rawValue {
                    messages.append([
                        storeId, try row.optionalInt64("customer_id"), "reminder", try row.int64("id"),
                        type == .greeting ? "marketing" : "service", "pending", millis,
                    ])
                }
            }
            try await BulkInsert.rows(
                "outbox_messages",
                columns: ["store_id", "customer_id", "source_type", "source_id", "kind", "status", "created_at"],
                messages, on: db)
        }
        return created
    }

    /// Closes as converted every reminder of a customer who opened a repair order on or after the day it
    /// was created and within its conversion window; greetings convert nothing. Returns how many.
    func convert(storeId: Int64, asOf: LocalDate, on db: any SQLDatabase) async throws -> Int {
        let first = """
            FROM repair_orders o WHERE o.store_id = reminders.store_id AND o.customer_id = reminders.customer_id
                AND o.opened_on >= reminders.created_on AND o.opened_on <= reminders.convert_until
                AND o.opened_on <= '\(asOf.description)'
            """
        let rows = try await db.raw(
            """
            UPDATE reminders SET status = 'converted',
                converted_on = (SELECT MIN(o.opened_on) \(unsafeRaw: first)),
                converted_order_id = (SELECT o.id \(unsafeRaw: first) ORDER BY o.opened_on, o.id LIMIT 1)
            WHERE store_id = \(bind: storeId) AND status <> 'converted' AND type <> 'greeting'
                AND customer_id IS NOT NULL AND convert_until >= \(bind: asOf.addingDays(-366).description)
                AND EXISTS (SELECT 1 \(unsafeRaw: first))
            RETURNING id
            """
        ).all()
        return rows.count
    }
}
