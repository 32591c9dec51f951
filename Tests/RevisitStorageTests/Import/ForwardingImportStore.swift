import Foundation
import RevisitCore
import Synchronization

@testable import RevisitStorage

/// A number a test store counts up from its calls, which may come from any task.
final class Tally: Sendable {
    private let value = Mutex(0)

    /// Adds `count`; returns the new total.
    @discardableResult
    func add(_ count: Int) -> Int {
        value.withLock {
            $0 += count; return $0
        }
    }

    /// The total, counting from zero again.
    func take() -> Int {
        value.withLock { value in
            defer { value = 0 }
            return value
        }
    }
}

/// A test's import store that passes everything it does not change to the real one.
protocol ForwardingImportStore: ImportStore {
    var inner: SQLImportStore { get }
}

extension ForwardingImportStore {
    func start(_ request: ImportRequest, encoding: String, scope: Scope) async throws -> ImportRun {
        try await inner.start(request, encoding: encoding, scope: scope)
    }

    func apply(_ batch: ImportBatch, to run: ImportRun, scope: Scope) async throws -> ImportRun {
        try await inner.apply(batch, to: run, scope: scope)
    }

    func finish(_ run: ImportRun, scope: Scope) async throws -> ImportRun {
        try await inner.finish(run, scope: scope)
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

    func orderSources(storeId: Int64, scope: Scope) async throws -> OrderSources {
        try await inner.orderSources(storeId: storeId, scope: scope)
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
