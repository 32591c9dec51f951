import Foundation
import RevisitCore
import SQLKit

extension SQLMessagingStore {
    /// Messages newest first, in the caller's stores.
    public func outbox(_ query: OutboxQuery, scope: Scope) async throws -> Page<OutboxMessage> {
        let limit = max(1, min(query.limit, 500))
        var sql: SQLQueryString = """
            SELECT o.*, c.name AS customer_name FROM outbox_messages o
            LEFT JOIN customers c ON c.store_id = o.store_id AND c.id = o.customer_id
            WHERE \(scope.storeFilter("o.store_id"))
            """
        if let storeId = query.storeId { sql += " AND o.store_id = \(bind: storeId)" }
        if let status = query.status { sql += " AND o.status = \(bind: status.rawValue)" }
        if let phone = query.phone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
            sql += " AND o.phone = \(bind: PhoneNumber(phone).digits)"
        }
        if let customerId = query.customerId { sql += " AND o.customer_id = \(bind: customerId)" }
        if let bulk = query.bulkSendId {
            sql += " AND o.source_type = 'bulk_send' AND o.source_id = \(bind: bulk)"
        }
        if let before = query.before { sql += " AND o.id < \(bind: before)" }
        sql += " ORDER BY o.id DESC LIMIT \(bind: Int64(limit + 1))"
        let rows = try await database.all(sql)
        let items = try rows.prefix(limit).map(Self.message)
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { String($0.id) } : nil)
    }

    public func message(id: Int64, scope: Scope) async throws -> OutboxMessage {
        guard
            let row = try await database.all(
                """
                SELECT o.*, c.name AS customer_name FROM outbox_messages o
                LEFT JOIN customers c ON c.store_id = o.store_id AND c.id = o.customer_id
                WHERE o.id = \(bind: id) AND \(scope.storeFilter("o.store_id"))
                """
            ).first
        else { throw RevisitError.notFound() }
        return try Self.message(row)
    }

    /// A failed or unknown message goes back in the queue now. An unknown one keeps its tries, so the
    /// worker asks the provider about it before sending it again.
    public func retry(messageId: Int64, scope: Scope) async throws -> OutboxMessage {
        let message = try await message(id: messageId, scope: scope)
        try Self.requireManager(message.storeId, scope)
        guard message.status.canRetry else {
            throw RevisitError(.conflict, code: .bulkSendState, args: ["state": message.status.rawValue])
        }
        let at = now()
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE outbox_messages SET status = 'queued', next_attempt_at = \(bind: at.epochMilliseconds),
                    updated_at = \(bind: at.epochMilliseconds)
                WHERE store_id = \(bind: message.storeId) AND id = \(bind: messageId) AND status IN ('failed', 'unknown')
                """
            ).run()
            try await AuditWriter.insert(
                AuditRecord(
                    action: .messageRetried, entityType: "outbox_message", entityId: String(messageId),
                    storeId: message.storeId), actor: scope.actor, at: at, on: db)
        }
        return try await self.message(id: messageId, scope: scope)
    }

    /// Counts per status for the store (the outbox page's header).
    public func outboxCounts(storeId: Int64, scope: Scope) async throws -> [OutboxStatus: Int] {
        try Self.requireReader(storeId, scope)
        var counts: [OutboxStatus: Int] = [:]
        for row in try await database.all(
            "SELECT status, COUNT(*) AS n FROM outbox_messages WHERE store_id = \(bind: storeId) GROUP BY status")
        {
            if let status = OutboxStatus(rawValue: try row.string("status")) {
                counts[status] = Int(try row.int64("n"))
            }
        }
        return counts
    }

    static func message(_ row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.int64("id"), storeId: try row.int64("store_id"),
            customerId: try row.optionalInt64("customer_id"),
            customerName: try row.optionalString("customer_name"), phone: try row.string("phone"),
            kind: MessageKind(rawValue: try row.string("kind")) ?? .marketing,
            channel: MessageChannel(rawValue: try row.string("channel")) ?? .sms, body: try row.string("body"),
            status: OutboxStatus(rawValue: try row.string("status")) ?? .failed,
            sourceType: try row.string("source_type"), sourceId: try row.int64("source_id"),
            attempts: Int(try row.int64("attempts")),
            refusal: try row.optionalString("refusal").flatMap(RefusalReason.init(rawValue:)),
            lastError: try row.optionalString("last_error"), provider: try row.optionalString("provider"),
            providerMessageId: try row.optionalString("provider_message_id"),
            receiptStatus: try row.optionalString("receipt_status"),
            nextAttemptAt: try row.int64("next_attempt_at") > 0 ? try row.date("next_attempt_at") : nil,
            createdAt: try row.date("created_at"), submittedAt: try row.optionalDate("submitted_at"),
            deliveredAt: try row.optionalDate("delivered_at"))
    }

    // MARK: Opt-outs

    public func optOuts(storeId: Int64, scope: Scope) async throws -> [OptOut] {
        try Self.requireReader(storeId, scope)
        return try await database.all(
            "SELECT * FROM message_opt_outs WHERE store_id = \(bind: storeId) ORDER BY created_at DESC, id DESC"
        ).map { row in
            OptOut(
                id: try row.int64("id"), storeId: try row.int64("store_id"), phone: try row.string("phone"),
                source: try row.string("source"), note: try row.string("note"), createdBy: try row.string("created_by"),
                createdAt: try row.date("created_at"))
        }
    }

    /// Staff record a "no" given another way (at the counter, on the phone).
    public func addOptOut(phone raw: String, note: String, storeId: Int64, scope: Scope) async throws {
        try Self.requireReader(storeId, scope)
        guard scope.role.canWorkReminders || scope.role.canManageMessaging else {
            throw RevisitError(.forbidden, code: .forbidden)
        }
        let phone = PhoneNumber(raw)
        guard phone.format == .mobile else {
            throw RevisitError(.validation, code: .invalidPhone, field: "phone", args: ["value": raw])
        }
        let at = now()
        try await database.transaction { db in
            try await SQLOutbox.optOut(
                phone: phone.digits, storeId: storeId, source: "manual", note: String(note.prefix(200)),
                actor: scope.login, at: at, on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .optOutChanged, entityType: "opt_out", entityId: phone.digits, storeId: storeId,
                    detail: "added"), actor: scope.actor, at: at, on: db)
        }
    }

    /// The customer gave consent again: only a manager takes an opt-out back, and it is audited.
    public func removeOptOut(phone raw: String, storeId: Int64, scope: Scope) async throws {
        try Self.requireReader(storeId, scope)
        guard scope.role.canApproveBulkSends else { throw RevisitError(.forbidden, code: .forbidden) }
        let phone = PhoneNumber(raw).digits
        let at = now()
        try await database.transaction { db in
            let removed = try await db.raw(
                "DELETE FROM message_opt_outs WHERE store_id = \(bind: storeId) AND phone = \(bind: phone) RETURNING id"
            ).all()
            guard !removed.isEmpty else { throw RevisitError.notFound() }
            try await AuditWriter.insert(
                AuditRecord(
                    action: .optOutChanged, entityType: "opt_out", entityId: phone, storeId: storeId, detail: "removed"),
                actor: scope.actor, at: at, on: db)
        }
    }
}
