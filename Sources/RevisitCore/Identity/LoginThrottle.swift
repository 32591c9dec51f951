import Foundation

/// Failed-login throttling: after `maxFailures` failures inside `window`, further attempts are refused
/// until the oldest counted failure leaves the window. Applies per account and per client address.
public struct LoginThrottle: Sendable, Equatable {
    public var maxFailures: Int
    public var window: TimeInterval
    /// A client address gets more room than one account, since offices share one address.
    public var maxFailuresPerAddress: Int

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60, maxFailuresPerAddress: Int = 20) {
        self.maxFailures = maxFailures
        self.window = window
        self.maxFailuresPerAddress = maxFailuresPerAddress
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Refused until this instant.
        case locked(until: Date)
    }

    /// - Parameter failures: the times of failed attempts, any order; only those inside the window count.
    public func decide(failures: [Date], limit: Int, now: Date) -> Decision {
        let recent = failures.filter { now.timeIntervalSince($0) < window }.sorted()
        guard recent.count >= limit else { return .allowed }
        // Unlocks when enough failures have aged out to drop below the limit.
        let unlockingFailure = recent[recent.count - limit]
        return .locked(until: unlockingFailure.addingTimeInterval(window))
    }

    /// The earliest failure time that can still count, for the query that fetches failures.
    public func windowStart(now: Date) -> Date { now.addingTimeInterval(-window) }
}
