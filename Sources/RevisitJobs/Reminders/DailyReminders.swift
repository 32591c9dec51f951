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
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await tick()
                } catch {
                    logger.warning("daily reminders failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Runs the stores whose hour has come today and that have no daily run for today yet.
    @discardableResult
    public func tick() async throws -> [ReminderRun] {
        let instant = now()
        var runs: [ReminderRun] = []
        for store in try await identity.stores(scope: .system) where store.active {
            let zone = TimeZone(identifier: store.timeZone) ?? TimeZone(identifier: Store.defaultTimeZone)!
            let today = LocalDate(instant, timeZone: zone)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let settings = try await reminders.settings(storeId: store.id, scope: .system)
            guard settings.dailyRun, calendar.component(.hour, from: instant) >= settings.dailyHour,
                try await !reminders.hasDailyRun(storeId: store.id, asOf: today)
            else { continue }
            do {
                let run = try await reminders.run(storeId: store.id, asOf: today, trigger: .daily, scope: .system)
                logger.info(
                    "daily reminders",
                    metadata: [
                        "store": "\(store.code)", "created": "\(run.created.values.reduce(0, +))",
                        "existing": "\(run.alreadyExisting)", "ms": "\(run.durationMs)",
                    ])
                runs.append(run)
            } catch {
                logger.warning(
                    "daily reminders failed",
                    metadata: ["store": "\(store.code)", "error": "\(String(reflecting: error))"])
            }
        }
        return runs
    }
}
