import Foundation

/// A store's messaging rules (DOMAIN §6); every field has the DOMAIN default, and a partial document (the
/// API's PUT) keeps the defaults for what it leaves out.
public struct MessagingSettings: Sendable, Equatable, Codable {
    /// No marketing sends from `quietStart` to `quietEnd` store-local (minutes after midnight; the window
    /// may cross midnight). Messages are held and released at `quietEnd`, not dropped.
    public var quietStart = 21 * 60
    public var quietEnd = 8 * 60
    /// Marketing messages per customer per calendar month (store-local); 0 means no cap.
    public var monthlyCap = 4
    /// A bulk send to more customers than this waits for a manager's approval.
    public var approvalThreshold = 1_000
    /// Inbound texts that mean "stop" (compared without case, spaces and punctuation).
    public var optOutKeywords = ["TD", "T", "退订", "N"]
    /// An opt-out from one store holds in every store of its group.
    public var groupWideOptOut = false

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let base = MessagingSettings()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        quietStart = try value(.quietStart, base.quietStart)
        quietEnd = try value(.quietEnd, base.quietEnd)
        monthlyCap = try value(.monthlyCap, base.monthlyCap)
        approvalThreshold = try value(.approvalThreshold, base.approvalThreshold)
        optOutKeywords = try value(.optOutKeywords, base.optOutKeywords)
        groupWideOptOut = try value(.groupWideOptOut, base.groupWideOptOut)
    }

    public func validated() throws(RevisitError) -> MessagingSettings {
        func refuse(_ field: String) -> RevisitError { RevisitError(.validation, code: .invalidValue, field: field) }
        guard (0..<1440).contains(quietStart) else { throw refuse("quietStart") }
        guard (0..<1440).contains(quietEnd) else { throw refuse("quietEnd") }
        guard (0...1_000).contains(monthlyCap) else { throw refuse("monthlyCap") }
        guard approvalThreshold >= 0 else { throw refuse("approvalThreshold") }
        var settings = self
        settings.optOutKeywords = optOutKeywords.map(OptOutKeywords.normalize).filter { !$0.isEmpty }
        guard !settings.optOutKeywords.isEmpty else { throw refuse("optOutKeywords") }
        return settings
    }

    /// "21:00" for a minute of the day.
    public static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// Minutes of the day from "21:00" or "8:30"; nil when it is not a time.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour),
            (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }
}

/// Inbound texts that opt a phone out.
public enum OptOutKeywords {
    /// Upper-cased, without spaces and punctuation: "td。" and " T " both read as the keyword.
    public static func normalize(_ text: String) -> String {
        String(
            text.uppercased().unicodeScalars.filter {
                !CharacterSet.whitespacesAndNewlines.contains($0) && !CharacterSet.punctuationCharacters.contains($0)
                    && !CharacterSet.symbols.contains($0)
            }.map(Character.init))
    }

    public static func matches(_ text: String, keywords: [String]) -> Bool {
        let normalized = normalize(text)
        return !normalized.isEmpty && keywords.contains { normalize($0) == normalized }
    }
}
