import Foundation
import RevisitCore
import SQLKit

extension SQLMessagingStore {
    /// One recipient's fate in a planned send.
    struct PlannedMessage: Sendable {
        var recipient: Recipient
        var decision: SendDecision
        var body: String
    }

    struct Plan: Sendable {
        var template: MessageTemplate
        var messages: [PlannedMessage]
        var preview: BulkSendPreview
    }

    /// Every customer the filters select, decided by the send rules now, with their text.
    func plan(
        templateId: Int64, query: CustomerQuery, storeId: Int64, scope: Scope, on db: any SQLDatabase
    ) async throws -> Plan {
        let template = try await template(id: templateId, scope: scope)
        guard template.storeId == storeId else { throw RevisitError.notFound() }
        let at = now()
        var storeQuery = query
        storeQuery.storeId = storeId
        let stores = try await MessagingStoreInfo.load(ids: [storeId], on: db)
        guard let store = stores[storeId] else { throw RevisitError.notFound() }
        let recipients = try await RecipientQuery.recipients(
            storeId: storeId, filters: SQLCustomerStore.filters(storeQuery), on: db)
        let optedOut = try await RecipientQuery.optedOut(storeId: storeId, on: db)
        let counts = try await RecipientQuery.marketingCounts(storeId: storeId, since: store.monthStart(at), on: db)
        let text = TemplateText(checked: template.body)
        var excluded: [RefusalReason: Int] = [:]
        var messages: [PlannedMessage] = []
        messages.reserveCapacity(recipients.count)
        var held = 0
        var sample: PlannedMessage?
        for recipient in recipients {
            let facts = RecipientFacts(
                mobile: recipient.mobile, marketingConsent: recipient.marketingConsent,
                serviceConsent: recipient.serviceConsent, optedOut: recipient.mobile.map(optedOut.contains) ?? false,
                marketingThisMonth: counts[recipient.customerId] ?? 0)
            let decision = SendPolicy.decide(
                kind: template.kind, recipient: facts, settings: store.settings, now: at, zone: store.zone)
            var body = ""
            switch decision {
            case .refuse(let reason): excluded[reason, default: 0] += 1
            case .hold: held += 1
            case .send: break
            }
            if case .refuse = decision {
            } else {
                var values = recipient.values(
                    storeName: store.name, storePhone: store.phone, language: template.language)
                values[.dueDate] = LocalDate(at, timeZone: store.zone).description
                body = MessageText.compose(body: text.render(values), kind: template.kind, language: template.language)
            }
            let message = PlannedMessage(recipient: recipient, decision: decision, body: body)
            if sample == nil, !body.isEmpty { sample = message }
            messages.append(message)
        }
        let refused = excluded.values.reduce(0, +)
        let recipientsCount = recipients.count - refused
        let preview = BulkSendPreview(
            candidates: recipients.count, excluded: excluded, recipients: recipientsCount, held: held,
            sampleCustomer: sample?.recipient.name ?? "", sampleText: sample?.body ?? "",
            segments: SMSSegments(sample?.body ?? ""),
            needsApproval: recipientsCount > store.settings.approvalThreshold)
        return Plan(template: template, messages: messages, preview: preview)
    }

    /// Who the send would reach, why the others drop out, and a sample text; nothing is written.
    public func previewBulkSend(
        templateId: Int64, query: CustomerQuery, storeId: Int64, scope: Scope
    ) async throws -> BulkSendPreview {
        try Self.requireManager(storeId, scope)
        return try await database.withConnection { db in
            try await plan(templateId: templateId, query: query, storeId: storeId, scope: scope, on: db).preview
        }
    }

    /// Records the send and, unless its size needs a manager's approval first (and the sender is not one),
    /// queues its messages in the same transaction: one outbox row per candidate, the refused ones with
    /// their reason, so the results show every customer the filters selected.
    public func createBulkSend(
        templateId: Int64, query: CustomerQuery, filters: [String: String], storeId: Int64, scope: Scope
    ) async throws -> BulkSend {
        try Self.requireManager(storeId, scope)
        let at = now()
        let id: Int64 = try await database.transaction { db in
            let plan = try await plan(templateId: templateId, query: query, storeId: storeId, scope: scope, on: db)
            guard plan.preview.recipients > 0 else {
                throw RevisitError(.validation, code: .noRecipients, field: "filters")
            }
            let waits = plan.preview.needsApproval && !scope.role.canApproveBulkSends
            let status: BulkSend.Status = waits ? .awaitingApproval : .queued
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let preview = plan.preview
            guard
                let row = try await db.raw(
                    """
                    INSERT INTO bulk_sends (store_id, template_id, template_name, kind, filters, status, candidates,
                        excluded, recipients, sample, parts, created_by, created_at, decided_by, decided_at)
                    VALUES (\(bind: storeId), \(bind: plan.template.id), \(bind: plan.template.name),
                        \(bind: plan.template.kind.rawValue),
                        \(bind: String(decoding: try encoder.encode(filters), as: UTF8.self)), \(bind: status.rawValue),
                        \(bind: Int64(preview.candidates)),
                        \(bind: String(decoding: try encoder.encode(preview.excludedByName), as: UTF8.self)),
                        \(bind: Int64(preview.recipients)), \(bind: preview.sampleText), \(bind: Int64(preview.segments.parts)),
                        \(bind: scope.login), \(bind: at.epochMilliseconds), \(bind: waits ? nil : scope.login),
                        \(bind: waits ? nil : at.epochMilliseconds))
                    RETURNING id
                    """
                ).first()
            else { throw RevisitError(.conflict, code: .internalError) }
            let id = try row.int64("id")
            if !waits { try await Self.enqueue(plan, bulkSendId: id, storeId: storeId, at: at, on: db) }
            try await AuditWriter.insert(
                AuditRecord(
                    action: .bulkSendCreated, entityType: "bulk_send", entityId: String(id), storeId: storeId,
                    detail: "\(plan.template.name): \(preview.recipients)/\(preview.candidates) \(status.rawValue)"),
                actor: scope.actor, at: at, on: db)
            return id
        }
        return try await bulkSend(id: id, scope: scope)
    }

    /// A manager lets a waiting send go (its recipients worked out again now: consent and opt-outs may have
    /// changed while it waited) or cancels it.
    public func decideBulkSend(id: Int64, approve: Bool, scope: Scope) async throws -> BulkSend {
        let send = try await bulkSend(id: id, scope: scope)
        guard scope.role.canApproveBulkSends else { throw RevisitError(.forbidden, code: .forbidden) }
        guard send.status == .awaitingApproval else {
            throw RevisitError(.conflict, code: .bulkSendState, args: ["state": send.status.rawValue])
        }
        let at = now()
        try await database.transaction { db in
            let status: BulkSend.Status = approve ? .queued : .cancelled
            let changed = try await db.raw(
                """
                UPDATE bulk_sends SET status = \(bind: status.rawValue), decided_by = \(bind: scope.login),
                    decided_at = \(bind: at.epochMilliseconds)
                WHERE store_id = \(bind: send.storeId) AND id = \(bind: id) AND status = 'awaiting_approval'
                RETURNING id
                """
            ).all()
            guard !changed.isEmpty else {
                throw RevisitError(.conflict, code: .bulkSendState, args: ["state": send.status.rawValue])
            }
            if approve {
                var query = try CustomerQueryFilters.query(send.filters)
                query.storeId = send.storeId
                let plan = try await plan(
                    templateId: send.templateId, query: query, storeId: send.storeId, scope: scope, on: db)
                try await Self.enqueue(plan, bulkSendId: id, storeId: send.storeId, at: at, on: db)
            }
            try await AuditWriter.insert(
                AuditRecord(
                    action: .bulkSendDecided, entityType: "bulk_send", entityId: String(id), storeId: send.storeId,
                    detail: status.rawValue), actor: scope.actor, at: at, on: db)
        }
        return try await bulkSend(id: id, scope: scope)
    }

    static func enqueue(_ plan: Plan, bulkSendId: Int64, storeId: Int64, at: Date, on db: any SQLDatabase) async throws
    {
        let millis = at.epochMilliseconds
        let rows: [[BulkInsert.Value]] = plan.messages.map { message in
            let (status, next, refusal) = SQLOutbox.columns(message.decision, at: at)
            return [
                storeId, message.recipient.customerId, "bulk_send", bulkSendId, plan.template.kind.rawValue, status,
                millis, plan.template.channel.rawValue, message.recipient.mobile ?? "", message.body, plan.template.id,
                next, refusal, millis,
            ]
        }
        try await BulkInsert.rows(
            "outbox_messages",
            columns: [
                "store_id", "customer_id", "source_type", "source_id", "kind", "status", "created_at", "channel",
                "phone",
                "body", "template_id", "next_attempt_at", "refusal", "updated_at",
            ], rows, on: db)
    }

    public func bulkSends(storeId: Int64, limit: Int = 100, scope: Scope) async throws -> [BulkSend] {
        try Self.requireReader(storeId, scope)
        let rows = try await database.all(
            """
            SELECT * FROM bulk_sends WHERE store_id = \(bind: storeId) ORDER BY id DESC LIMIT \(bind: Int64(limit))
            """)
        let progress = try await Self.progress(
            storeId: storeId, ids: try rows.map { try $0.int64("id") }, on: database)
        return try rows.map { try Self.bulkSend($0, progress: progress[try $0.int64("id")] ?? [:]) }
    }

    /// Messages per outbox status of each send, in one query for a whole list of sends.
    static func progress(storeId: Int64, ids: [Int64], on database: Database) async throws -> [Int64: [String: Int]] {
        guard !ids.isEmpty else { return [:] }
        var progress: [Int64: [String: Int]] = [:]
        for row in try await database.all(
            """
            SELECT source_id, status, COUNT(*) AS n FROM outbox_messages
            WHERE store_id = \(bind: storeId) AND source_type = 'bulk_send' AND source_id IN (\(binds: ids))
            GROUP BY source_id, status
            """)
        {
            progress[try row.int64("source_id"), default: [:]][try row.string("status")] = Int(try row.int64("n"))
        }
        return progress
    }

    public func bulkSend(id: Int64, scope: Scope) async throws -> BulkSend {
        guard
            let row = try await database.all(
                "SELECT * FROM bulk_sends WHERE id = \(bind: id) AND " + scope.storeFilter("store_id")
            ).first
        else { throw RevisitError.notFound() }
        let id = try row.int64("id")
        let progress = try await Self.progress(storeId: try row.int64("store_id"), ids: [id], on: database)
        return try Self.bulkSend(row, progress: progress[id] ?? [:])
    }

    static func bulkSend(_ row: any SQLRow, progress: [String: Int]) throws -> BulkSend {
        let decoder = JSONDecoder()
        let storeId = try row.int64("store_id")
        let id = try row.int64("id")
        let excludedNames = try decoder.decode([String: Int].self, from: Data(try row.string("excluded").utf8))
        var excluded: [RefusalReason: Int] = [:]
        for reason in RefusalReason.allCases {
            if let count = excludedNames[reason.key], count > 0 { excluded[reason] = count }
        }
        let sample = try row.string("sample")
        return BulkSend(
            id: id, storeId: storeId, templateId: try row.int64("template_id"),
            templateName: try row.string("template_name"),
            kind: MessageKind(rawValue: try row.string("kind")) ?? .marketing,
            filters: try decoder.decode([String: String].self, from: Data(try row.string("filters").utf8)),
            status: BulkSend.Status(rawValue: try row.string("status")) ?? .cancelled,
            preview: BulkSendPreview(
                candidates: Int(try row.int64("candidates")), excluded: excluded,
                recipients: Int(try row.int64("recipients")), held: progress["held"] ?? 0, sampleCustomer: "",
                sampleText: sample, segments: SMSSegments(sample), needsApproval: false),
            createdBy: try row.string("created_by"), createdAt: try row.date("created_at"),
            decidedBy: try row.optionalString("decided_by"), decidedAt: try row.optionalDate("decided_at"),
            progress: progress)
    }
}
