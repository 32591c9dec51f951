import Foundation
import RevisitCore
import SQLKit

extension SQLOutbox {
    /// Gives the reminder engine's pending messages their text and number and decides them by the send
    /// rules: queued, held for quiet hours, or refused with the reason. The reminder run queued them in its
    /// own transaction; the words come here, from the store's `reminder.<type>` template or the default.
    /// Returns how many were decided.
    public func prepare(limit: Int = 500) async throws -> Int {
        let at = now()
        let millis = at.epochMilliseconds
        return try await database.transaction { db in
            let pending = try await db.raw(
                """
                SELECT o.id, o.store_id, o.customer_id, o.kind, r.type, r.reason, r.args, r.due_date, r.vehicle_id
                FROM outbox_messages o
                LEFT JOIN reminders r ON r.store_id = o.store_id AND r.id = o.source_id AND o.source_type = 'reminder'
                WHERE o.status = 'pending' LIMIT \(bind: Int64(limit))
                """
            ).all()
            guard !pending.isEmpty else { return 0 }
            var byStore: [Int64: [any SQLRow]] = [:]
            for row in pending { byStore[try row.int64("store_id"), default: []].append(row) }
            let stores = try await MessagingStoreInfo.load(ids: Set(byStore.keys), on: db)
            let decoder = JSONDecoder()
            for (storeId, rows) in byStore {
                guard let store = stores[storeId] else { continue }
                let customerIds = try Array(Set(rows.compactMap { try $0.optionalInt64("customer_id") }))
                var recipients: [Int64: Recipient] = [:]
                if !customerIds.isEmpty {
                    for recipient in try await RecipientQuery.recipients(
                        storeId: storeId, filters: " AND c.id IN (\(binds: customerIds))", on: db)
                    {
                        recipients[recipient.customerId] = recipient
                    }
                }
                let vehicles = try await RecipientQuery.vehicles(
                    storeId: storeId, ids: rows.compactMap { try $0.optionalInt64("vehicle_id") }, on: db)
                let templates = try await reminderTemplates(storeId: storeId, on: db)
                let optedOut = try await RecipientQuery.optedOut(storeId: storeId, on: db)
                var counts = try await RecipientQuery.marketingCounts(
                    storeId: storeId, since: store.monthStart(at), on: db)
                for row in rows {
                    let id = try row.int64("id")
                    let kind = MessageKind(rawValue: try row.string("kind")) ?? .marketing
                    let type = try row.optionalString("type").flatMap(ReminderType.init(rawValue:)) ?? .greeting
                    var recipient = try row.optionalInt64("customer_id").flatMap { recipients[$0] }
                    if let vehicleId = try row.optionalInt64("vehicle_id"), let vehicle = vehicles[vehicleId] {
                        recipient?.plate = vehicle.plate
                        recipient?.vin = vehicle.vin
                        recipient?.vehicleModel = vehicle.model
                    }
                    let template = templates[type]
                    let language = template?.language ?? .default
                    let args =
                        try row.optionalString("args").flatMap {
                            try? decoder.decode([String: String].self, from: Data($0.utf8))
                        } ?? [:]
                    var values =
                        recipient?.values(storeName: store.name, storePhone: store.phone, language: language) ?? [:]
                    values[.dueDate] = try row.optionalString("due_date")
                    values[.occasion] = ReminderMessages.occasion(
                        reason: try row.optionalString("reason") ?? "", args: args, language: language)
                    let body = MessageText.compose(
                        body: TemplateText(
                            checked: template?.body ?? ReminderMessages.defaultBody(type, language: language)
                        )
                        .render(values),
                        kind: kind, language: language)
                    let facts = RecipientFacts(
                        mobile: recipient?.mobile, marketingConsent: recipient?.marketingConsent ?? false,
                        serviceConsent: recipient?.serviceConsent ?? false,
                        optedOut: recipient?.mobile.map(optedOut.contains) ?? false,
                        marketingThisMonth: recipient.map { counts[$0.customerId] ?? 0 } ?? 0)
                    let decision = SendPolicy.decide(
                        kind: kind, recipient: facts, settings: store.settings, now: at, zone: store.zone)
                    let (status, next, refusal) = Self.columns(decision, at: at)
                    if status != "refused", kind == .marketing, let customer = recipient?.customerId {
                        counts[customer, default: 0] += 1
                    }
                    try await db.raw(
                        """
                        UPDATE outbox_messages SET status = \(bind: status), phone = \(bind: recipient?.mobile ?? ""),
                            body = \(bind: body), template_id = \(bind: template?.id), refusal = \(bind: refusal),
                            next_attempt_at = \(bind: next), updated_at = \(bind: millis)
                        WHERE store_id = \(bind: storeId) AND id = \(bind: id) AND status = 'pending'
                        """
                    ).run()
                }
            }
            return pending.count
        }
    }

    /// The row's status, when it is next due and the refusal, for a decision.
    static func columns(_ decision: SendDecision, at: Date) -> (String, Int64, String?) {
        switch decision {
        case .send: ("queued", at.epochMilliseconds, nil)
        case .hold(let until): ("held", until.epochMilliseconds, nil)
        case .refuse(let reason): ("refused", at.epochMilliseconds, reason.rawValue)
        }
    }

    /// The store's own words per reminder rule.
    func reminderTemplates(storeId: Int64, on db: any SQLDatabase) async throws -> [ReminderType: MessageTemplate] {
        var out: [ReminderType: MessageTemplate] = [:]
        for row in try await db.raw(
            """
            SELECT * FROM message_templates WHERE store_id = \(bind: storeId) AND purpose IS NOT NULL ORDER BY id
            """
        ).all() {
            let template = try TemplateRows.template(row)
            if let purpose = template.purpose, purpose.hasPrefix("reminder."),
                let type = ReminderType(rawValue: String(purpose.dropFirst("reminder.".count))), out[type] == nil
            {
                out[type] = template
            }
        }
        return out
    }
}

/// Template rows to values.
enum TemplateRows {
    static func template(_ row: any SQLRow) throws -> MessageTemplate {
        MessageTemplate(
            id: try row.int64("id"), storeId: try row.int64("store_id"), name: try row.string("name"),
            kind: MessageKind(rawValue: try row.string("kind")) ?? .marketing,
            channel: MessageChannel(rawValue: try row.string("channel")) ?? .sms,
            language: Language(rawValue: try row.string("language")) ?? .default,
            purpose: try row.optionalString("purpose"), body: try row.string("body"),
            createdBy: try row.string("created_by"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }
}
