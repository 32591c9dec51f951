import Dispatch

/// A value one thread hands to another once it has it, or the error that stopped it.
final class Handoff<Value: Sendable>: @unchecked Sendable {
    // Written once before `done` is signalled, read only after waiting for it.
    private var outcome: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    func send(_ outcome: Result<Value, any Error>) {
        self.outcome = outcome
        done.signal()
    }

    /// The value, once sent; rethrows the error sent instead. One waiter.
    func value() throws -> Value {
        done.wait()
        return try outcome!.get()
    }
}

/// Work started on another thread while the calling one goes on, for the segmentation run's blocking
/// reads: the second core reads the last run's classes and half the orders while the first reads the
/// rest.
final class Concurrently<Value: Sendable>: Sendable {
    private let result = Handoff<Value>()

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [result] in result.send(Result(catching: work)) }
    }

    /// The work's value, once it is done; rethrows what it threw.
    func value() throws -> Value { try result.value() }
}
