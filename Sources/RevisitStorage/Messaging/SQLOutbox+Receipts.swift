import Foundation
import RevisitCore
import SQLKit

/// Receipts that never came. A gateway retries its delivery receipts for a while and then gives up (the
/// server was down, the network was), which left messages `submitted` for ever. A submitted message's
/// `next_attempt_at` is when to ask the provider about it instead: half an hour after the submit, then
/// hourly, for two days.
extension SQLOutbox {
    /// How long a receipt may take before the provider is asked.
    public static let receiptWait: TimeInterval = 30 * 60
    /// How often a message still in flight is asked about again, and for how long.
    public static let receiptRecheck: TimeInterval = 60 * 60
    public static let receiptGiveUp: TimeInterval = 2 * 24 * 60 * 60

    /// Submitted messages whose receipt is overdue, oldest first: their idempotency key is their id.
    public func overdueReceipts(limit: Int) async throws -> [(storeId: Int64, id: Int64)] {
        let millis = now().epochMilliseconds
        return try await database.all(
            """
            SELECT store_id, id FROM outbox_messages
            WHERE status = 'submitted' AND next_attempt_at <= \(bind: millis)
                AND submitted_at >= \(bind: millis - Int64(Self.receiptGiveUp * 1_000))
            ORDER BY next_attempt_at, id LIMIT \(bind: Int64(limit))
            """
        ).map { (try $0.int64("store_id"), try $0.int64("id")) }
    }

    /// The provider had no final word yet: ask again in an hour.
    public func askAgainLater(storeId: Int64, id: Int64) async throws {
        let next = now().addingTimeInterval(Self.receiptRecheck).epochMilliseconds
        try await database.run(
            """
            UPDATE outbox_messages SET next_attempt_at = \(bind: next)
            WHERE store_id = \(bind: storeId) AND id = \(bind: id) AND status = 'submitted'
            """)
    }
}
