import Foundation

/// When a browser session stops being valid: after `idleTimeout` without a request, or
/// `absoluteTimeout` after login, whichever comes first.
public struct SessionPolicy: Sendable, Equatable {
    public var idleTimeout: TimeInterval
    public var absoluteTimeout: TimeInterval
    /// Last-seen is written at most this often, so reads do not turn into writes on every request.
    public var touchInterval: TimeInterval

    public init(
        idleTimeout: TimeInterval = 2 * 3600, absoluteTimeout: TimeInterval = 12 * 3600,
        touchInterval: TimeInterval = 60
    ) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.touchInterval = touchInterval
    }

    public func isValid(createdAt: Date, lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) < idleTimeout && now.timeIntervalSince(createdAt) < absoluteTimeout
    }

    public func needsTouch(lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) >= touchInterval
    }

    /// Sessions older than this can be deleted by the sweeper whatever their last use.
    public func expiryCutoff(now: Date) -> (idle: Date, absolute: Date) {
        (now.addingTimeInterval(-idleTimeout), now.addingTimeInterval(-absoluteTimeout))
    }
}
