import Foundation
import Logging
import RevisitCore
import ServiceLifecycle

/// Deletes expired sessions and old login attempts every few minutes, so the tables stay small and an
/// expired token is gone from the database, not only refused.
public struct SessionSweeper: Service {
    let auth: any AuthStore
    let policy: SessionPolicy
    let throttle: LoginThrottle
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        auth: any AuthStore, policy: SessionPolicy, throttle: LoginThrottle, interval: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.auth = auth
        self.policy = policy
        self.throttle = throttle
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        await Background.repeatUntilShutdown(every: interval, logger: logger, failure: "session sweep failed") {
            try await sweep()
        }
    }

    /// One pass; returns how many sessions and login attempts were removed.
    @discardableResult
    public func sweep() async throws -> (sessions: Int, attempts: Int) {
        let now = now()
        let cutoff = policy.expiryCutoff(now: now)
        let sessions = try await auth.deleteExpiredSessions(idleBefore: cutoff.idle, createdBefore: cutoff.absolute)
        // Attempts older than a day can no longer count towards any lock.
        let attempts = try await auth.deleteLoginAttempts(before: now.addingTimeInterval(-max(throttle.window, 86_400)))
        if sessions + attempts > 0 {
            logger.info("swept", metadata: ["sessions": "\(sessions)", "loginAttempts": "\(attempts)"])
        }
        return (sessions, attempts)
    }
}
