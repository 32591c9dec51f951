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
        await Background.repeatUntilShutdown(every: interval, logger: logger, failure: "nightly segmentation failed") {
            try await tick()
        }
    }

    /// One look at every store: runs those whose hour has come today and that have no nightly run for
    /// today yet. Returns the runs it made.
    @discardableResult
    public func tick() async throws -> [SegmentRun] {
        try await Background.runDueStores(
            identity: identity, at: now(), logger: logger, label: "nightly segmentation",
            hour: { store in
                let settings = try await segments.settings(storeId: store.id, scope: .system)
                return settings.nightlyRun ? settings.nightlyHour : nil
            },
            hasRun: { store, today in try await segments.hasRun(storeId: store.id, asOf: today, trigger: .nightly) },
            run: { store, today in
                let run = try await segments.run(storeId: store.id, asOf: today, trigger: .nightly, scope: .system)
                logger.info(
                    "nightly segmentation",
                    metadata: [
                        "store": "\(store.code)", "customers": "\(run.counts.customers)", "ms": "\(run.durationMs)",
                    ])
                return run
            })
    }
}
