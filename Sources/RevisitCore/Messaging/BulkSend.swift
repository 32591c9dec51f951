import Foundation

/// A send of one template to a customer list (DOMAIN §6): previewed, approved above the store's size,
/// then queued into the outbox in one transaction.
public struct BulkSend: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case awaitingApproval = "awaiting_approval"
        case queued
        case cancelled
    }

    public var id: Int64
    public var storeId: Int64
    public var templateId: Int64
    public var templateName: String
    public var kind: MessageKind
    /// The customer-list filters it was made from, as the list's query parameters.
    public var filters: [String: String]
    public var status: Status
    public var preview: BulkSendPreview
    public var createdBy: String
    public var createdAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    /// Messages per outbox status, once queued.
    public var progress: [String: Int]

    public init(
        id: Int64, storeId: Int64, templateId: Int64, templateName: String, kind: MessageKind,
        filters: [String: String],
        status: Status, preview: BulkSendPreview, createdBy: String, createdAt: Date, decidedBy: String?,
        decidedAt: Date?, progress: [String: Int]
    ) {
        self.id = id
        self.storeId = storeId
        self.templateId = templateId
        self.templateName = templateName
        self.kind = kind
        self.filters = filters
        self.status = status
        self.preview = preview
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.progress = progress
    }
}

/// Who a bulk send would reach and why the others drop out, with the text for a sample customer.
public struct BulkSendPreview: Sendable, Equatable, Codable {
    public var candidates: Int
    public var excluded: [RefusalReason: Int]
    public var recipients: Int
    /// Of the recipients, how many wait for quiet hours to end.
    public var held: Int
    public var sampleCustomer: String
    public var sampleText: String
    public var segments: SMSSegments
    public var needsApproval: Bool

    public init(
        candidates: Int, excluded: [RefusalReason: Int], recipients: Int, held: Int, sampleCustomer: String,
        sampleText: String, segments: SMSSegments, needsApproval: Bool
    ) {
        self.candidates = candidates
        self.excluded = excluded
        self.recipients = recipients
        self.held = held
        self.sampleCustomer = sampleCustomer
        self.sampleText = sampleText
        self.segments = segments
        self.needsApproval = needsApproval
    }

    /// SMS parts the whole send costs, counting each recipient's text as the sample's length.
    public var totalParts: Int { recipients * segments.parts }

    /// `{"noConsent":n,"optedOut":n,"capped":n,"noMobile":n}`, as the CLI and the API print them.
    public var excludedByName: [String: Int] {
        Dictionary(uniqueKeysWithValues: RefusalReason.allCases.map { ($0.key, excluded[$0] ?? 0) })
    }
}
