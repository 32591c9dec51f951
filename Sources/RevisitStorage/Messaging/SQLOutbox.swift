import Foundation
import RevisitCore
import SQLKit

/// The worker's side of the outbox (DOMAIN §6): claim due messages under a lease, record what the provider
/// said, apply receipts and inbound texts. The order is what makes "never lost, never twice" hold: a claim
/// is committed before the submit, the submit's answer is recorded after it, and a message whose earlier
/// try may have reached the provider is looked up there before it is sent again.
public struct SQLOutbox: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    static let dueStatuses: SQLQueryString = "('queued', 'held', 'unknown', 'claimed')"

    /// Leases up to `limit` due messages to `worker` until `lease` from now. Queued and held messages are
    /// due at `next_attempt_at`; a claimed one's `next_attempt_at` is its lease's end, so a dead worker's
    /// claims come due again by themselves. Marketing messages are checked again here, because an opt-out,
    /// a withdrawn consent or quiet hours may have come since they were queued. On PostgreSQL concurrent
    /// workers skip each other's rows (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time.
    public func claim(limit: Int, worker: String, lease: TimeInterval) async throws -> [ClaimedMessage] {
        let at = now()
        let millis = at.epochMilliseconds
        let lock: SQLQueryString = database.engine == .postgresql ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { db in
            let rows = try await db.raw(
                """
                SELECT id, store_id, customer_id, phone, body, kind, attempts FROM outbox_messages
                WHERE status IN \(Self.dueStatuses) AND next_attempt_at <= \(bind: millis)
                LIMIT \(bind: Int64(limit))
                """ + lock
            ).all()
            guard !rows.isEmpty else { return [] }
            var claimed: [ClaimedMessage] = []
            var marketing: [Int64: [(ClaimedMessage, Int64?)]] = [:]
            for row in rows {
                let message = ClaimedMessage(
                    id: try row.int64("id"), storeId: try row.int64("store_id"), phone: try row.string("phone"),
                    body: try row.string("body"), kind: MessageKind(rawValue: try row.string("kind")) ?? .marketing,
                    attempts: Int(try row.int64("attempts")) + 1)
                if message.kind == .marketing {
                    marketing[message.storeId, default: []].append((message, try row.optionalInt64("customer_id")))
                } else {
                    claimed.append(message)
                }
            }
            var held: [(ClaimedMessage, Date)] = []
            var refused: [(ClaimedMessage, RefusalReason)] = []
            if !marketing.isEmpty {
                let stores = try await MessagingStoreInfo.load(ids: Set(marketing.keys), on: db)
                for (storeId, messages) in marketing {
                    guard let store = stores[storeId] else { continue }
                    let phones = Array(Set(messages.map(\.0.phone)))
                    let optedOut = Set(
                        try await db.raw(
                            """
                            SELECT phone FROM message_opt_outs
                            WHERE store_id = \(bind: storeId) AND phone IN (\(binds: phones))
                            """
                        ).all().map { try $0.string("phone") })
                    let customerIds = Array(Set(messages.compactMap(\.1)))
                    let withdrawn = Set(
                        customerIds.isEmpty
                            ? []
                            : try await db.raw(
                                """
                                SELECT id FROM customers WHERE store_id = \(bind: storeId)
                                    AND id IN (\(binds: customerIds)) AND consent_sms = 0
                                """
                            ).all().map { try $0.int64("id") })
                    let release = QuietHours.release(now: at, zone: store.zone, settings: store.settings)
                    for (message, customerId) in messages {
                        if optedOut.contains(message.phone) {
                            refused.append((message, .optedOut))
                        } else if let customerId, withdrawn.contains(customerId) {
                            refused.append((message, .noConsent))
                        } else if let release {
                            held.append((message, release))
                        } else {
                            claimed.append(message)
                        }
                    }
                }
            }
            if !claimed.isEmpty {
                let until = at.addingTimeInterval(lease).epochMilliseconds
                try await db.raw(
                    """
                    UPDATE outbox_messages SET status = 'claimed', claimed_by = \(bind: worker),
                        attempts = attempts + 1, next_attempt_at = \(bind: until), updated_at = \(bind: millis)
                    WHERE \(Self.keys(claimed.map { ($0.storeId, $0.id) }))
                    """
                ).run()
            }
            for (message, until) in held {
                try await db.raw(
                    """
                    UPDATE outbox_messages SET status = 'held', next_attempt_at = \(bind: until.epochMilliseconds),
                        updated_at = \(bind: millis)
                    WHERE store_id = \(bind: message.storeId) AND id = \(bind: message.id)
                    """
                ).run()
            }
            for (message, reason) in refused {
                try await db.raw(
                    """
                    UPDATE outbox_messages SET status = 'refused', refusal = \(bind: reason.rawValue),
                        updated_at = \(bind: millis)
                    WHERE store_id = \(bind: message.storeId) AND id = \(bind: message.id)
                    """
                ).run()
            }
            return claimed
        }
    }

    /// `(store_id, id) IN ((…), …)`: both engines take row values, and the (store_id, id) key serves it.
    static func keys(_ pairs: [(Int64, Int64)]) -> SQLQueryString {
        var sql: SQLQueryString = "(store_id, id) IN ("
        for (index, pair) in pairs.enumerated() {
            sql += index == 0 ? "(\(bind: pair.0), \(bind: pair.1))" : ", (\(bind: pair.0), \(bind: pair.1))"
        }
        return sql + ")"
    }

    /// Records a batch of outcomes in one transaction. A message accepted for the first time goes on its
    /// customer's timeline; one a receipt already settled keeps the receipt's word.
    public func record(_ results: [SendResult]) async throws {
        guard !results.isEmpty else { return }
        let at = now()
        let millis = at.epochMilliseconds
        try await database.transaction { db in
            let accepted = results.filter { if case .accepted = $0.outcome { true } else { false } }
            var firstTime: [Int64: (storeId: Int64, customerId: Int64, body: String)] = [:]
            if !accepted.isEmpty {
                for row in try await db.raw(
                    """
                    SELECT id, store_id, customer_id, body FROM outbox_messages
                    WHERE \(Self.keys(accepted.map { ($0.storeId, $0.id) })) AND submitted_at IS NULL
                    """
                ).all() {
                    if let customer = try row.optionalInt64("customer_id") {
                        firstTime[try row.int64("id")] = (try row.int64("store_id"), customer, try row.string("body"))
                    }
                }
            }
            for result in results {
                let key: SQLQueryString = " WHERE store_id = \(bind: result.storeId) AND id = \(bind: result.id)"
                switch result.outcome {
                case .accepted(let providerId):
                    try await db.raw(
                        """
                        UPDATE outbox_messages SET
                            status = CASE WHEN receipt_status IS NULL THEN 'submitted' ELSE status END,
                            provider = \(bind: result.provider), provider_message_id = \(bind: providerId),
                            submitted_at = COALESCE(submitted_at, \(bind: millis)), last_error = NULL,
                            claimed_by = NULL, updated_at = \(bind: millis),
                            next_attempt_at = \(bind: millis + Int64(Self.receiptWait * 1_000))
                        """ + key
                    ).run()
                case .retry(let error, let next):
                    try await db.raw(
                        """
                        UPDATE outbox_messages SET status = 'queued', next_attempt_at = \(bind: next.epochMilliseconds),
                            last_error = \(bind: String(error.prefix(500))), provider = \(bind: result.provider),
                            claimed_by = NULL, updated_at = \(bind: millis)
                        """ + key + " AND status = 'claimed'"
                    ).run()
                case .failed(let error):
                    try await db.raw(
                        """
                        UPDATE outbox_messages SET status = 'failed', last_error = \(bind: String(error.prefix(500))),
                            provider = \(bind: result.provider), claimed_by = NULL, updated_at = \(bind: millis)
                        """ + key + " AND status = 'claimed'"
                    ).run()
                case .unknown(let error, let next):
                    try await db.raw(
                        """
                        UPDATE outbox_messages SET status = 'unknown', next_attempt_at = \(bind: next.epochMilliseconds),
                            last_error = \(bind: String(error.prefix(500))), provider = \(bind: result.provider),
                            claimed_by = NULL, updated_at = \(bind: millis)
                        """ + key + " AND status = 'claimed'"
                    ).run()
                }
            }
            let entries = firstTime.sorted { $0.key < $1.key }.map { _, entry -> [BulkInsert.Value] in
                [
                    entry.storeId, entry.customerId, millis, InteractionKind.sms.rawValue,
                    String(entry.body.prefix(2000)),
                    "outbox",
                ]
            }
            try await BulkInsert.rows(
                "interactions", columns: ["store_id", "customer_id", "at", "kind", "summary", "user_login"], entries,
                on: db)
        }
    }

    /// A delivery receipt: found by our idempotency key (the outbox id) or else the provider's id; it is the
    /// final word on the message, whether it arrives before the submit's answer or twice. Returns whether a
    /// message matched.
    public func applyReceipt(_ receipt: DeliveryReceipt) async throws -> Bool {
        let millis = now().epochMilliseconds
        let filter: SQLQueryString
        if let key = receipt.idempotencyKey, let id = Int64(key) {
            // The key alone has no store: find it first so the update uses the (store_id, id) key.
            guard let row = try await database.all("SELECT store_id FROM outbox_messages WHERE id = \(bind: id)").first
            else { return false }
            filter = "store_id = \(bind: try row.int64("store_id")) AND id = \(bind: id)"
        } else if let providerId = receipt.providerMessageId, !providerId.isEmpty {
            filter = "provider_message_id = \(bind: providerId)"
        } else {
            return false
        }
        let status = receipt.delivered ? "delivered" : "failed"
        let rows = try await database.transaction { db in
            try await db.raw(
                """
                UPDATE outbox_messages SET status = \(bind: status), receipt_status = \(bind: receipt.status),
                    delivered_at = \(bind: receipt.delivered ? receipt.at.epochMilliseconds : nil),
                    provider_message_id = COALESCE(provider_message_id, \(bind: receipt.providerMessageId)),
                    last_error = \(bind: receipt.delivered ? nil : "receipt: \(receipt.status)"),
                    updated_at = \(bind: millis)
                WHERE \(filter) AND status NOT IN ('refused', 'pending')
                RETURNING id
                """
            ).all()
        }
        return !rows.isEmpty
    }
}
