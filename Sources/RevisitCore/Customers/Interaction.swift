import Foundation

/// Everything that happens with a customer, on one timeline. Later features add their own kinds.
public enum InteractionKind: String, Sendable, Codable, CaseIterable {
    case call, sms, callback, complaint, appointment, visit, note, merge, alert, reveal, edit
}

public struct Interaction: Sendable, Equatable, Codable {
    public var id: Int64
    public var customerId: Int64
    public var at: Date
    public var kind: InteractionKind
    public var summary: String
    public var userLogin: String

    public init(id: Int64, customerId: Int64, at: Date, kind: InteractionKind, summary: String, userLogin: String) {
        self.id = id
        self.customerId = customerId
        self.at = at
        self.kind = kind
        self.summary = summary
        self.userLogin = userLogin
    }
}
