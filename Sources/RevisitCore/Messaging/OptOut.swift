import Foundation

/// A phone that said no to marketing in a store.
public struct OptOut: Sendable, Equatable, Codable {
    public var id: Int64
    public var storeId: Int64
    public var phone: String
    /// `inbound` (a stop word by SMS), `manual` (typed by staff).
    public var source: String
    public var note: String
    public var createdBy: String
    public var createdAt: Date

    public init(
        id: Int64, storeId: Int64, phone: String, source: String, note: String, createdBy: String, createdAt: Date
    ) {
        self.id = id
        self.storeId = storeId
        self.phone = phone
        self.source = source
        self.note = note
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// What the outbox page and `GET /api/v1/outbox` filter by.
public struct OutboxQuery: Sendable, Equatable {
    public var storeId: Int64?
    public var status: OutboxStatus?
    public var phone: String?
    public var customerId: Int64?
    public var bulkSendId: Int64?
    public var limit: Int
    /// Newest first: the id below which the next page starts.
    public var before: Int64?

    public init(
        storeId: Int64? = nil, status: OutboxStatus? = nil, phone: String? = nil, customerId: Int64? = nil,
        bulkSendId: Int64? = nil, limit: Int = 50, before: Int64? = nil
    ) {
        self.storeId = storeId
        self.status = status
        self.phone = phone
        self.customerId = customerId
        self.bulkSendId = bulkSendId
        self.limit = limit
        self.before = before
    }
}
