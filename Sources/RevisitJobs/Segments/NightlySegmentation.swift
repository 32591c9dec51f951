import Foundation
import Logging
import RevisitCore
import RevisitStorage
import ServiceLifecycle

/// Classifies every active store's customers once a day, at the store's own hour (02:00 by default, in
/// its time zone). A server that was down at that hour catches up when it starts; a store that turned
/// the nightly run off is skipped.
public struct NightlySegmentation: Service {
    let identity: any IdentityStore
    let segments: SQLSegmentStore
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        identity: any IdentityStore, segments: SQLSegmentStore, interval: Duration = .seconds(60),
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.identity = identity
        self.segments = segments
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
                    logger.warning("nightly segmentation failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One look at every store: runs those whose hour has come today and that have no nightly run for
    /// today yet. Returns the runs it made.
    @discardableResult
    public func tick() async throws -> [SegmentRun] {
        let instant = now()
        var runs: [SegmentRun] = []
        for store in try await identity.stores(scope: .system) where store.active {
            let zone = TimeZone(identifier: store.timeZone) ?? TimeZone(identifier: Store.defaultTimeZone)!
            let today = LocalDate(instant, timeZone: zone)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let settings = try await segments.settings(storeId: store.id, scope: .system)
            guard settings.nightlyRun, calendar.component(.hour, from: instant) >= settings.nightlyHour,
                try await !segments.hasRun(storeId: store.id, asOf: today, trigger: .nightly)
            else { continue }
            do {
                let run = try await segments.run(storeId: store.id, asOf: today, trigger: .nightly, scope: .system)
                logger.info(
                    "nightly segmentation",
                    metadata: [
                        "store": "\(store.code)", "customers": "\(run.counts.customers)", "ms": "\(run.durationMs)",
                    ])
                runs.append(run)
            } catch {
                // One store's failure must not keep the others from their run.
                logger.warning(
                    "nightly segmentation failed",
                    metadata: ["store": "\(store.code)", "error": "\(String(reflecting: error))"])
            }
        }
        return runs
    }
}
