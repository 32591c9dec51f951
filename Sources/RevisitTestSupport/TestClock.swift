import Foundation

/// A clock tests move by hand, so timeouts and throttling windows are tested without waiting.
public final class TestClock: @unchecked Sendable {
    private var current: Date
    private let lock = NSLock()

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        self.current = start
    }

    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(by seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }

    /// Puts the clock at an instant (a test that reads better in wall-clock times than in steps).
    public func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }

    public var function: @Sendable () -> Date { { self.now } }
}
