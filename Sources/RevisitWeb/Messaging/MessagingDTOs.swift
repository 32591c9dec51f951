import Foundation
import RevisitCore

/// An outbox message as the API shows it; the phone masked for roles that see masked numbers.
struct OutboxMessageDTO: Encodable {
    let id: Int64
    let storeId: Int64
    let idempotencyKey: String
    let customerId: Int64?
    let customerName: String?
    let phone: String
    let kind: String
    let channel: String
    let text: String
    let status: String
    let source: String
    let sourceId: Int64
    let attempts: Int
    let refusal: String?
    let lastError: String?
    let provider: String?
    let providerMessageId: String?
    let receiptStatus: String?
    let nextAttemptAt: Date?
    let createdAt: Date
    let submittedAt: Date?
    let deliveredAt: Date?

    init(_ message: OutboxMessage, masking: PhoneMasking) {
        id = message.id
        storeId = message.storeId
        idempotencyKey = message.idempotencyKey
        customerId = message.customerId
        customerName = message.customerName
        phone = message.phone.isEmpty ? "" : masking.text(PhoneNumber(message.phone))
        kind = message.kind.rawValue
        channel = message.channel.rawValue
        text = message.body
        status = message.status.rawValue
        source = message.sourceType
        sourceId = message.sourceId
        attempts = message.attempts
        refusal = message.refusal?.rawValue
        lastError = message.lastError
        provider = message.provider
        providerMessageId = message.providerMessageId
        receiptStatus = message.receiptStatus
        nextAttemptAt = message.status.isFinal ? nil : message.nextAttemptAt
        createdAt = message.createdAt
        submittedAt = message.submittedAt
        deliveredAt = message.deliveredAt
    }
}

struct TemplateDTO: Encodable {
    let id: Int64
    let storeId: Int64
    let name: String
    let kind: String
    let channel: String
    let language: String
    let purpose: String?
    let text: String
    /// The text as sent, with the opt-out hint a marketing message carries.
    let sentAs: String
    let variables: [String]
    let createdBy: String
    let updatedAt: Date

    init(_ template: MessageTemplate) {
        id = template.id
        storeId = template.storeId
        name = template.name
        kind = template.kind.rawValue
        channel = template.channel.rawValue
        language = template.language.rawValue
        purpose = template.purpose
        text = template.body
        sentAs = MessageText.compose(body: template.body, kind: template.kind, language: template.language)
        variables = TemplateText(checked: template.body).variables.map(\.rawValue)
        createdBy = template.createdBy
        updatedAt = template.updatedAt
    }
}

struct BulkPreviewDTO: Encodable {
    let candidates: Int
    let excluded: [String: Int]
    let recipients: Int
    let held: Int
    let sampleCustomer: String
    let sampleText: String
    let segmentsPerMessage: Int
    let charactersPerMessage: Int
    let totalSegments: Int
    let needsApproval: Bool

    init(_ preview: BulkSendPreview) {
        candidates = preview.candidates
        excluded = preview.excludedByName
        recipients = preview.recipients
        held = preview.held
        sampleCustomer = preview.sampleCustomer
        sampleText = preview.sampleText
        segmentsPerMessage = preview.segments.parts
        charactersPerMessage = preview.segments.characters
        totalSegments = preview.totalParts
        needsApproval = preview.needsApproval
    }
}

struct BulkSendDTO: Encodable {
    let id: Int64
    let storeId: Int64
    let templateId: Int64
    let templateName: String
    let kind: String
    let filters: [String: String]
    let status: String
    let candidates: Int
    let excluded: [String: Int]
    let recipients: Int
    let sampleText: String
    let progress: [String: Int]
    let createdBy: String
    let createdAt: Date
    let decidedBy: String?
    let decidedAt: Date?

    init(_ send: BulkSend) {
        id = send.id
        storeId = send.storeId
        templateId = send.templateId
        templateName = send.templateName
        kind = send.kind.rawValue
        filters = send.filters
        status = send.status.rawValue
        candidates = send.preview.candidates
        excluded = send.preview.excludedByName
        recipients = send.preview.recipients
        sampleText = send.preview.sampleText
        progress = send.progress
        createdBy = send.createdBy
        createdAt = send.createdAt
        decidedBy = send.decidedBy
        decidedAt = send.decidedAt
    }
}

struct OptOutDTO: Encodable {
    let phone: String
    let source: String
    let note: String
    let createdBy: String
    let createdAt: Date

    init(_ optOut: OptOut, masking: PhoneMasking) {
        phone = masking.text(PhoneNumber(optOut.phone))
        source = optOut.source
        note = optOut.note
        createdBy = optOut.createdBy
        createdAt = optOut.createdAt
    }
}

/// The settings as the API reads and writes them: times as "21:00".
struct MessagingSettingsDTO: Codable {
    var quietStart: String?
    var quietEnd: String?
    var monthlyCap: Int?
    var approvalThreshold: Int?
    var optOutKeywords: [String]?
    var groupWideOptOut: Bool?

    init(_ settings: MessagingSettings) {
        quietStart = MessagingSettings.clock(settings.quietStart)
        quietEnd = MessagingSettings.clock(settings.quietEnd)
        monthlyCap = settings.monthlyCap
        approvalThreshold = settings.approvalThreshold
        optOutKeywords = settings.optOutKeywords
        groupWideOptOut = settings.groupWideOptOut
    }

    /// Applied over `base`: what is left out keeps its value; a time that does not read is refused.
    func applied(to base: MessagingSettings) throws -> MessagingSettings {
        var settings = base
        if let quietStart {
            guard let minutes = MessagingSettings.minutes(quietStart) else {
                throw RevisitError(.validation, code: .invalidValue, field: "quietStart", args: ["value": quietStart])
            }
            settings.quietStart = minutes
        }
        if let quietEnd {
            guard let minutes = MessagingSettings.minutes(quietEnd) else {
                throw RevisitError(.validation, code: .invalidValue, field: "quietEnd", args: ["value": quietEnd])
            }
            settings.quietEnd = minutes
        }
        if let monthlyCap { settings.monthlyCap = monthlyCap }
        if let approvalThreshold { settings.approvalThreshold = approvalThreshold }
        if let optOutKeywords { settings.optOutKeywords = optOutKeywords }
        if let groupWideOptOut { settings.groupWideOptOut = groupWideOptOut }
        return settings
    }
}
