import Foundation

/// A message handed to a provider.
public struct OutgoingMessage: Sendable, Equatable {
    public var idempotencyKey: String
    public var phone: String
    public var text: String
    public var kind: MessageKind

    public init(idempotencyKey: String, phone: String, text: String, kind: MessageKind) {
        self.idempotencyKey = idempotencyKey
        self.phone = phone
        self.text = text
        self.kind = kind
    }
}

/// What a provider said to a submit. The difference between `notSent` and `unknown` is the whole of
/// "never send twice": only a message known not to have arrived is simply sent again.
public enum SubmitOutcome: Sendable, Equatable {
    case accepted(providerId: String)
    /// Refused for good (a bad number, a rejected text): sending again will not help.
    case rejected(String)
    /// Did not arrive (connection refused, the gateway said busy or failed): safe to send again later.
    case notSent(String)
    /// May have arrived (a timeout after the request went out): reconcile before sending again.
    case unknown(String)
}

/// What a provider's status query says about an idempotency key.
public enum StatusOutcome: Sendable, Equatable {
    case accepted(providerId: String, delivered: Bool)
    case notFound
    /// The query itself failed; try later.
    case unavailable(String)
    /// The provider has no status query; only receipts or time tell.
    case unsupported
}

/// One way out to customers (SMS gateway, log file, …) behind one interface.
public protocol SMSProvider: Sendable {
    /// Recorded on each message: `log`, `http`.
    var name: String { get }
    func submit(_ message: OutgoingMessage) async -> SubmitOutcome
    func status(idempotencyKey: String) async -> StatusOutcome
}
