import Foundation
import RevisitCore
import Synchronization

@testable import RevisitStorage

/// An import store that passes everything to the real one and keeps what the runner handed it (each
/// batch with what it counted, and each finish), so the same batches can be replayed on another writer.
struct RecordingImportStore: ForwardingImportStore {
    enum Event: Sendable {
        case batch(ImportKind, ImportBatch, ImportCounts)
        case finish
    }

    final class Log: Sendable {
        let events = Mutex<[Event]>([])

        func take() -> [Event] {
            events.withLock { events in
                defer { events = [] }
                return events
            }
        }
    }

    let inner: SQLImportStore
    let log = Log()

    func apply(_ batch: ImportBatch, to run: ImportRun, scope: Scope) async throws -> ImportRun {
        let after = try await inner.apply(batch, to: run, scope: scope)
        let counts = ImportCounts(
            inserted: after.counts.inserted - run.counts.inserted, updated: after.counts.updated - run.counts.updated,
            unchanged: after.counts.unchanged - run.counts.unchanged)
        log.events.withLock { $0.append(.batch(run.kind, batch, counts)) }
        return after
    }

    func finish(_ run: ImportRun, scope: Scope) async throws -> ImportRun {
        log.events.withLock { $0.append(.finish) }
        return try await inner.finish(run, scope: scope)
    }
}
