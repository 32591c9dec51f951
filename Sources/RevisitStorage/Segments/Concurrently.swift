import Dispatch

/// Work started on another thread while the calling one goes on, for the segmentation run's blocking
/// reads: the last run's classes are read on the second core while the first reads the orders.
final class Concurrently<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting for it.
    private var outcome: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            self.outcome = Result(catching: work)
            self.done.signal()
        }
    }

    /// The work's value, once it is done; rethrows what it threw.
    func value() throws -> Value {
        done.wait()
        return try outcome!.get()
    }
}
