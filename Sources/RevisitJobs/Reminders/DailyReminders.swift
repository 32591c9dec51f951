import Foundation
import Logging
import RevisitCore
import RevisitStorage
import ServiceLifecycle

/// Runs every active store's reminder rules once a day at the store's hour (06:00 by default, in its
/// time zone), after the night's segmentation; a server that was down catches up when it starts.
public struct DailyReminders: Service {
    let identity: any IdentityStore
    let reminders: SQLReminderStore
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        identity: any IdentityStore, reminders: SQLReminderStore, interval: Duration = .seconds(60),
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.identity = identity
        self.reminders = reminders
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        await Background.repeatUntilShutdown(every: interval, logger: logger, failure: "daily reminders failed") {
            try await tick()
        }
    }

    /// Runs the stores whose hour has come today and that have no daily run for today yet.
    @discardableResult
    public func tick() async throws -> [ReminderRun] {
        try await Background.runDueStores(
            identity: identity, at: now(), logger: logger, label: "daily reminders",
            hour: { store in
                let settings = try await reminders.settings(storeId: store.id, scope: .system)
                return settings.dailyRun ? settings.dailyHour : nil
            },
            hasRun: { store, today in try await reminders.hasDailyRun(storeId: store.id, asOf: today) },
            run: { store, today in
                let run = try await reminders.run(storeId: store.id, asOf: today, trigger: .daily, scope: .system)
                logger.info(
                    "daily reminders",
                    metadata: [
                        "store": "\(store.code)", "created": "\(run.created.values.reduce(0, +))",
                        "existing": "\(run.alreadyExisting)", "ms": "\(run.durationMs)",
                    ])
                return run
            })
    }
}
