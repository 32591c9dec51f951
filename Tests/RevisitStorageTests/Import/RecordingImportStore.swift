import Foundation
import RevisitCore
import Synchronization

@testable import RevisitStorage

/// An import store that passes everything to the real one and keeps what the runner handed it (each
/// batch with what it counted, and each finish), so the same batches can be replayed on another writer.
struct RecordingImportStore: ImportStore {
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

    func start(_ request: ImportRequest, encoding: String, scope: Scope) async throws -> ImportRun {
        try await inner.start(request, encoding: encoding, scope: scope)
    }

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

    func close(
        _ run: ImportRun, status: ImportStatus, code: ErrorCode, args: [String: String], scope: Scope
    ) async throws -> ImportRun {
        try await inner.close(run, status: status, code: code, args: args, scope: scope)
    }

    func run(id: Int64, scope: Scope) async throws -> ImportRun { try await inner.run(id: id, scope: scope) }

    func runs(storeId: Int64?, limit: Int, scope: Scope) async throws -> [ImportRun] {
        try await inner.runs(storeId: storeId, limit: limit, scope: scope)
    }

    func problems(importId: Int64, limit: Int, scope: Scope) async throws -> [ImportProblem] {
        try await inner.problems(importId: importId, limit: limit, scope: scope)
    }

    func mappings(storeId: Int64, scope: Scope) async throws -> [ImportMapping] {
        try await inner.mappings(storeId: storeId, scope: scope)
    }

    func saveMapping(_ mapping: ImportMapping, storeId: Int64, scope: Scope) async throws {
        try await inner.saveMapping(mapping, storeId: storeId, scope: scope)
    }

    func unlinkedAdvisors(storeId: Int64, scope: Scope) async throws -> [UnlinkedAdvisor] {
        try await inner.unlinkedAdvisors(storeId: storeId, scope: scope)
    }

    func linkAdvisor(name: String, userId: Int64, storeId: Int64, scope: Scope) async throws -> Int {
        try await inner.linkAdvisor(name: name, userId: userId, storeId: storeId, scope: scope)
    }
}
