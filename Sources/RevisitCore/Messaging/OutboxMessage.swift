import Foundation

/// Where a message is in its life (DOMAIN §6). `pending` is a reminder's message waiting for its text;
/// `held` waits out quiet hours; `claimed` is leased by one worker; `unknown` was sent without an answer
/// and is reconciled through the provider's status query or a receipt, never blindly sent again.
public enum OutboxStatus: String, Sendable, Codable, CaseIterable {
    case pending, queued, held, claimed, submitted, delivered, failed, unknown, refused

    /// No worker will touch it again by itself.
    public var isFinal: Bool { self == .submitted || self == .delivered || self == .failed || self == .refused }

    /// A person may send it again from the outbox page.
    public var canRetry: Bool { self == .failed || self == .unknown }
}

/// One outbox row as the pages and the API show it.
public struct OutboxMessage: Sendable, Equatable, Codable {
    public var id: Int64
    public var storeId: Int64
    public var customerId: Int64?
    public var customerName: String?
    public var phone: String
    public var kind: MessageKind
    public var channel: MessageChannel
    public var body: String
    public var status: OutboxStatus
    public var sourceType: String
    public var sourceId: Int64
    public var attempts: Int
    public var refusal: RefusalReason?
    public var lastError: String?
    public var provider: String?
    public var providerMessageId: String?
    public var receiptStatus: String?
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var submittedAt: Date?
    public var deliveredAt: Date?

    public init(
        id: Int64, storeId: Int64, customerId: Int64?, customerName: String?, phone: String, kind: MessageKind,
        channel: MessageChannel, body: String, status: OutboxStatus, sourceType: String, sourceId: Int64,
        attempts: Int, refusal: RefusalReason?, lastError: String?, provider: String?, providerMessageId: String?,
        receiptStatus: String?, nextAttemptAt: Date?, createdAt: Date, submittedAt: Date?, deliveredAt: Date?
    ) {
        self.id = id
        self.storeId = storeId
        self.customerId = customerId
        self.customerName = customerName
        self.phone = phone
        self.kind = kind
        self.channel = channel
        self.body = body
        self.status = status
        self.sourceType = sourceType
        self.sourceId = sourceId
        self.attempts = attempts
        self.refusal = refusal
        self.lastError = lastError
        self.provider = provider
        self.providerMessageId = providerMessageId
        self.receiptStatus = receiptStatus
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.submittedAt = submittedAt
        self.deliveredAt = deliveredAt
    }

    /// The key sent to the provider: the outbox id, unique across stores on both engines.
    public var idempotencyKey: String { String(id) }
}

/// A message a worker holds a lease on and is about to hand to the provider.
public struct ClaimedMessage: Sendable, Equatable {
    public var id: Int64
    public var storeId: Int64
    public var phone: String
    public var body: String
    public var kind: MessageKind
    /// Tries including this one. Above 1 an earlier try may have reached the provider, so the worker asks
    /// the provider before sending again.
    public var attempts: Int

    public init(id: Int64, storeId: Int64, phone: String, body: String, kind: MessageKind, attempts: Int) {
        self.id = id
        self.storeId = storeId
        self.phone = phone
        self.body = body
        self.kind = kind
        self.attempts = attempts
    }

    public var idempotencyKey: String { String(id) }
}

/// What came of one claimed message, for the outbox to record.
public struct SendResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case accepted(providerId: String)
        /// Try again at this instant (nothing reached the provider, or it asked us to wait).
        case retry(error: String, at: Date)
        /// The provider refused it for good, or the tries ran out.
        case failed(error: String)
        /// Sent without an answer: ask again at this instant.
        case unknown(error: String, at: Date)
    }

    public var id: Int64
    public var storeId: Int64
    public var provider: String
    public var outcome: Outcome

    public init(id: Int64, storeId: Int64, provider: String, outcome: Outcome) {
        self.id = id
        self.storeId = storeId
        self.provider = provider
        self.outcome = outcome
    }
}

/// A delivery receipt from the provider's webhook.
public struct DeliveryReceipt: Sendable, Equatable {
    public var idempotencyKey: String?
    public var providerMessageId: String?
    /// The provider's word: delivered, failed, …
    public var status: String
    public var at: Date

    public init(idempotencyKey: String?, providerMessageId: String?, status: String, at: Date) {
        self.idempotencyKey = idempotencyKey
        self.providerMessageId = providerMessageId
        self.status = status
        self.at = at
    }

    public var delivered: Bool { ["delivered", "success", "ok", "delivrd"].contains(status.lowercased()) }
}
