import Foundation
import RevisitCore
import SQLKit

/// What an inbound text did.
public struct InboundOutcome: Sendable, Equatable {
    /// The stores the phone belongs to (a customer's number there, or a message sent to it).
    public var stores: [Int64]
    /// The stores where it opted the phone out (with the group's when the store says so).
    public var optedOutStores: [Int64]

    public init(stores: [Int64], optedOutStores: [Int64]) {
        self.stores = stores
        self.optedOutStores = optedOutStores
    }
}

extension SQLOutbox {
    /// An inbound text from the gateway's webhook: kept for every store the phone belongs to, and when it
    /// is a stop word of that store, the phone is opted out at once there (and across its group when the
    /// store says so): marketing messages still waiting to go are refused and the customers' timelines say so.
    public func receiveInbound(
        phone raw: String, text: String, providerMessageId: String?
    ) async throws
        -> InboundOutcome
    {
        let phone = PhoneNumber(raw).digits
        let at = now()
        let millis = at.epochMilliseconds
        return try await database.transaction { db in
            let stores = try await MessagingStoreInfo.load(on: db)
            var known: [Int64] = []
            for storeId in stores.keys.sorted() {
                let hit = try await db.raw(
                    """
                    SELECT 1 AS x FROM customer_phones WHERE store_id = \(bind: storeId) AND digits = \(bind: phone)
                    UNION ALL
                    SELECT 1 AS x FROM outbox_messages WHERE store_id = \(bind: storeId) AND phone = \(bind: phone)
                    LIMIT 1
                    """
                ).first()
                if hit != nil { known.append(storeId) }
            }
            var optOut: Set<Int64> = []
            for storeId in known {
                guard let store = stores[storeId],
                    OptOutKeywords.matches(text, keywords: store.settings.optOutKeywords)
                else { continue }
                optOut.insert(storeId)
                if store.settings.groupWideOptOut, let group = store.groupId {
                    optOut.formUnion(stores.values.filter { $0.groupId == group }.map(\.id))
                }
            }
            for storeId in known {
                try await db.raw(
                    """
                    INSERT INTO inbound_messages (store_id, phone, text, provider_message_id, opt_out, received_at)
                    VALUES (\(bind: storeId), \(bind: phone), \(bind: String(text.prefix(1000))),
                        \(bind: providerMessageId), \(bind: optOut.contains(storeId) ? 1 : 0), \(bind: millis))
                    """
                ).run()
            }
            for storeId in optOut.sorted() {
                try await Self.optOut(
                    phone: phone, storeId: storeId, source: "inbound", note: String(text.prefix(100)),
                    actor: "sms", at: at, on: db)
            }
            // Every text a customer sends is on their timeline, a stop word or not.
            for storeId in known where !optOut.contains(storeId) {
                try await Self.timeline(
                    phone: phone, storeId: storeId, summary: "← " + String(text.prefix(500)), at: at, on: db)
            }
            return InboundOutcome(stores: known, optedOutStores: optOut.sorted())
        }
    }

    /// Records an opt-out (once per store and phone), refuses the marketing messages still waiting for that
    /// phone and notes it on the customers' timelines.
    static func optOut(
        phone: String, storeId: Int64, source: String, note: String, actor: String, at: Date, on db: any SQLDatabase
    ) async throws {
        let millis = at.epochMilliseconds
        let inserted = try await db.raw(
            """
            INSERT INTO message_opt_outs (store_id, phone, source, note, created_by, created_at)
            VALUES (\(bind: storeId), \(bind: phone), \(bind: source), \(bind: note), \(bind: actor), \(bind: millis))
            ON CONFLICT (store_id, phone) DO NOTHING RETURNING id
            """
        ).all()
        try await db.raw(
            """
            UPDATE outbox_messages SET status = 'refused', refusal = 'opted_out', updated_at = \(bind: millis)
            WHERE store_id = \(bind: storeId) AND phone = \(bind: phone) AND kind = 'marketing'
                AND status IN ('queued', 'held', 'pending')
            """
        ).run()
        if !inserted.isEmpty {
            try await timeline(phone: phone, storeId: storeId, summary: "退订 / opt-out: \(note)", at: at, on: db)
        }
    }

    /// A timeline entry on every customer of the store with this phone.
    static func timeline(phone: String, storeId: Int64, summary: String, at: Date, on db: any SQLDatabase) async throws
    {
        let customers = try await db.raw(
            """
            SELECT DISTINCT customer_id FROM customer_phones WHERE store_id = \(bind: storeId) AND digits = \(bind: phone)
            """
        ).all().map { try $0.int64("customer_id") }
        try await BulkInsert.rows(
            "interactions", columns: ["store_id", "customer_id", "at", "kind", "summary", "user_login"],
            customers.map { [storeId, $0, at.epochMilliseconds, InteractionKind.sms.rawValue, summary, "sms"] }, on: db)
    }
}
