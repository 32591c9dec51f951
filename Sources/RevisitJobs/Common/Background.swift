import Foundation
import Logging
import RevisitCore
import ServiceLifecycle

/// What the background services share: the loop they run and the once-a-day-per-store schedule.
enum Background {
    /// Calls `tick` now and every `interval` until a graceful shutdown (which wakes the sleep at once);
    /// a failed tick is logged and the next one tried.
    static func repeatUntilShutdown(
        every interval: Duration, logger: Logger, failure: String, _ tick: @escaping @Sendable () async throws -> Void
    ) async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await tick()
                } catch {
                    logger.warning("\(failure)", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Runs `run` for every active store whose hour (`hour`; nil when the store switched the run off)
    /// has come today in its own time zone and that has no run for today yet (`hasRun`). A server that
    /// was down at the hour catches up; one store's failure is logged and the others still run.
    static func runDueStores<T: Sendable>(
        identity: any IdentityStore, at instant: Date, logger: Logger, label: String,
        hour: (Store) async throws -> Int?, hasRun: (Store, LocalDate) async throws -> Bool,
        run: (Store, LocalDate) async throws -> T
    ) async throws -> [T] {
        var done: [T] = []
        for store in try await identity.stores(scope: .system) where store.active {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = store.zone
            let today = store.day(at: instant)
            guard let due = try await hour(store), calendar.component(.hour, from: instant) >= due,
                try await !hasRun(store, today)
            else { continue }
            do {
                done.append(try await run(store, today))
            } catch {
                logger.warning(
                    "\(label) failed", metadata: ["store": "\(store.code)", "error": "\(String(reflecting: error))"])
            }
        }
        return done
    }
}
