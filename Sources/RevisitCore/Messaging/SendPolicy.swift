import Foundation

/// Why a message is not sent. Each refusal is kept on the message row (DOMAIN §6: every refusal recorded).
public enum RefusalReason: String, Sendable, Codable, CaseIterable {
    case noMobile = "no_mobile"
    case optedOut = "opted_out"
    case noConsent = "no_consent"
    case capped

    /// The name the CLI's and the API's counts use: `noMobile`, `optedOut`, `noConsent`, `capped`.
    public var key: String {
        switch self {
        case .noMobile: "noMobile"
        case .optedOut: "optedOut"
        case .noConsent: "noConsent"
        case .capped: "capped"
        }
    }
}

/// What the rules say about one message to one customer, right now.
public enum SendDecision: Sendable, Equatable {
    case send
    /// Quiet hours: kept and released at this instant.
    case hold(until: Date)
    case refuse(RefusalReason)
}

/// The facts about a recipient the rules read.
public struct RecipientFacts: Sendable, Equatable {
    public var mobile: String?
    public var marketingConsent: Bool
    public var serviceConsent: Bool
    public var optedOut: Bool
    /// Marketing messages already queued or sent to this customer in the current store-local month.
    public var marketingThisMonth: Int

    public init(
        mobile: String?, marketingConsent: Bool, serviceConsent: Bool, optedOut: Bool, marketingThisMonth: Int
    ) {
        self.mobile = mobile
        self.marketingConsent = marketingConsent
        self.serviceConsent = serviceConsent
        self.optedOut = optedOut
        self.marketingThisMonth = marketingThisMonth
    }
}

/// The consent, opt-out, frequency and quiet-hour rules (DOMAIN §6), pure: the caller passes the time.
public enum SendPolicy {
    /// Refusals come first in a fixed order (no mobile, opted out, no consent, capped), so each excluded
    /// customer is counted once and for the first reason; a marketing message that may go but not now is held.
    public static func decide(
        kind: MessageKind, recipient: RecipientFacts, settings: MessagingSettings, now: Date, zone: TimeZone
    ) -> SendDecision {
        if let reason = refusal(kind: kind, recipient: recipient, settings: settings) { return .refuse(reason) }
        if kind == .marketing, let until = QuietHours.release(now: now, zone: zone, settings: settings) {
            return .hold(until: until)
        }
        return .send
    }

    public static func refusal(
        kind: MessageKind, recipient: RecipientFacts, settings: MessagingSettings
    ) -> RefusalReason? {
        guard let mobile = recipient.mobile, !mobile.isEmpty else { return .noMobile }
        switch kind {
        case .marketing:
            if recipient.optedOut { return .optedOut }
            if !recipient.marketingConsent { return .noConsent }
            if settings.monthlyCap > 0 && recipient.marketingThisMonth >= settings.monthlyCap { return .capped }
        case .service:
            if !recipient.serviceConsent { return .noConsent }
        }
        return nil
    }
}

/// The store-local no-marketing window.
public enum QuietHours {
    /// When `now` falls in the window, the instant it ends; nil outside it. An empty window (start == end)
    /// means no quiet hours.
    public static func release(now: Date, zone: TimeZone, settings: MessagingSettings) -> Date? {
        let start = settings.quietStart
        let end = settings.quietEnd
        guard start != end else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let inside = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard inside else { return nil }
        let day = calendar.startOfDay(for: now)
        // Before midnight in a window that crosses it, the release is tomorrow morning.
        let releaseDay = (start > end && minute >= start) ? calendar.date(byAdding: .day, value: 1, to: day)! : day
        return calendar.date(byAdding: .minute, value: end, to: releaseDay)!
    }
}

/// How long a failed send waits before the next try: doubling from `base` up to `cap`, for at most
/// `maxAttempts` tries, after which the message is failed for a person to look at.
public struct RetryPolicy: Sendable, Equatable {
    public var base: TimeInterval
    public var cap: TimeInterval
    public var maxAttempts: Int

    public init(base: TimeInterval = 15, cap: TimeInterval = 1_800, maxAttempts: Int = 10) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// The wait after the `attempt`-th try (1-based) failed.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = max(0, min(attempt - 1, 30))
        return min(cap, base * pow(2, Double(exponent)))
    }

    public func gaveUp(afterAttempt attempt: Int) -> Bool { attempt >= maxAttempts }
}
