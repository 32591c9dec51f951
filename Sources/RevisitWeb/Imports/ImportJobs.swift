import Foundation
import Logging
import RevisitCore
import RevisitStorage
import Synchronization

/// Imports started from the web or the API run in the background; this keeps how far each has read
/// through its file, for the progress bar (the counts themselves are in the database, per batch).
public final class ImportJobs: Sendable {
    private let progress = Mutex<[Int64: Double]>([:])
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Share of the file read by a running import, if it runs in this process.
    public func fraction(_ id: Int64) -> Double? { progress.withLock { $0[id] } }

    /// Processes a prepared import in the background and removes the uploaded file when it is done.
    /// A run killed with the process stays `running`; uploading the same file again resumes it.
    func start(_ prepared: Importer.Prepared, importer: Importer, scope: Scope, upload: String?) {
        let id = prepared.run.id
        progress.withLock { $0[id] = 0 }
        Task {
            do {
                _ = try await importer.execute(prepared, scope: scope) { _, fraction in
                    self.progress.withLock { $0[id] = fraction ?? $0[id] }
                }
            } catch {
                logger.error("import \(id) failed: \(error)")
                _ = try? await importer.store.close(
                    prepared.run, status: .failed, code: .internalError, args: [:], scope: scope)
            }
            progress.withLock { $0[id] = nil }
            if let upload { try? FileManager.default.removeItem(atPath: upload) }
        }
    }
}
