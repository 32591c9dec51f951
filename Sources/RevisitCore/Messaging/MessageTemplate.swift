import Foundation

/// Marketing messages need the customer's marketing consent, respect quiet hours and the monthly cap, and
/// carry the opt-out hint; service messages (appointment confirmations, reminders the customer asked for)
/// follow the customer's service consent only (DOMAIN §6).
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    case marketing, service
}

/// How a message travels. SMS is the one every store has.
public enum MessageChannel: String, Sendable, Codable, CaseIterable {
    case sms
}

/// A stored message text with `{{variables}}`, per store, channel and language. `purpose` ties a template to
/// a reminder rule (`reminder.greeting`, …) so the reminder engine's messages speak in the store's words;
/// nil is a template for bulk sends.
public struct MessageTemplate: Sendable, Equatable, Codable {
    public var id: Int64
    public var storeId: Int64
    public var name: String
    public var kind: MessageKind
    public var channel: MessageChannel
    public var language: Language
    public var purpose: String?
    public var body: String
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, storeId: Int64, name: String, kind: MessageKind, channel: MessageChannel, language: Language,
        purpose: String?, body: String, createdBy: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.storeId = storeId
        self.name = name
        self.kind = kind
        self.channel = channel
        self.language = language
        self.purpose = purpose
        self.body = body
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The text as the customer reads it.
    public func render(_ values: TemplateValues) -> String {
        MessageText.compose(body: TemplateText(checked: body).render(values), kind: kind, language: language)
    }
}

/// What a person types to create or change a template.
public struct TemplateDraft: Sendable, Equatable {
    public var name: String
    public var kind: MessageKind
    public var channel: MessageChannel
    public var language: Language
    public var purpose: String?
    public var body: String

    public init(
        name: String, kind: MessageKind, channel: MessageChannel = .sms, language: Language = .default,
        purpose: String? = nil, body: String
    ) {
        self.name = name
        self.kind = kind
        self.channel = channel
        self.language = language
        self.purpose = purpose
        self.body = body
    }

    /// Trims and checks every field; a body with an unknown or malformed variable is refused, naming it.
    public func validated() throws(RevisitError) -> TemplateDraft {
        var draft = self
        draft.name = try FieldRules.text(name, field: "name", max: 60)
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw RevisitError(.validation, code: .required, field: "body") }
        guard body.count <= 1_000 else {
            throw RevisitError(.validation, code: .tooLong, field: "body", args: ["max": "1000"])
        }
        _ = try TemplateText(body)
        // The hint is the system's to add; a typed one would be sent twice.
        draft.body = MessageText.strippingOptOutHint(body)
        if let purpose = purpose?.trimmingCharacters(in: .whitespaces), !purpose.isEmpty {
            guard MessagePurpose.all.contains(purpose) else {
                throw RevisitError(
                    .validation, code: .invalidValue, field: "purpose",
                    args: ["value": purpose, "allowed": MessagePurpose.all.joined(separator: ", ")])
            }
            draft.purpose = purpose
        } else {
            draft.purpose = nil
        }
        return draft
    }
}

/// The reminder rules a template can speak for.
public enum MessagePurpose {
    public static let all: [String] = ReminderType.allCases.map { "reminder.\($0.rawValue)" }

    public static func reminder(_ type: ReminderType) -> String { "reminder.\(type.rawValue)" }
}
