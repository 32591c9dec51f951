import Logging
import NIOPosix
import SQLiteKit
import Synchronization

/// A few SQLite connections to one file. WAL lets readers run beside the one writer; write
/// transactions start with BEGIN IMMEDIATE so two writers queue instead of deadlocking.
///
/// A lock rather than an actor guards the idle list: taking and returning a connection is a few
/// instructions, and an actor would add two executor hops to every query on the hot read paths.
final class SQLiteConnectionPool: Sendable {
    private struct State {
        var idle: [SQLiteConnection] = []
        var opened = 0
        var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
        var closed = false
    }

    private enum Next {
        case ready(SQLiteConnection)
        case open
        case wait
        case closed
    }

    private let path: String
    private let maxConnections: Int
    private let logger: Logger
    private let state = Mutex(State())
    /// A thread per connection and one more. On the shared pool (a thread per core) two writers waiting
    /// out `busy_timeout` held both threads, so the transaction they waited for could not run its next
    /// statement: every writer stalled for the whole timeout.
    private let threads: NIOThreadPool

    init(path: String, maxConnections: Int, logger: Logger) {
        self.path = path
        self.maxConnections = maxConnections
        self.logger = logger
        threads = NIOThreadPool(numberOfThreads: maxConnections + 1)
        threads.start()
    }

    func acquire() async throws -> SQLiteConnection {
        let next: Next = state.withLock { state in
            if state.closed { return .closed }
            if let connection = state.idle.popLast() { return .ready(connection) }
            if state.opened < maxConnections {
                state.opened += 1
                return .open
            }
            return .wait
        }
        switch next {
        case .ready(let connection): return connection
        case .closed: throw DatabaseError.closed
        case .open:
            do {
                return try await open()
            } catch {
                state.withLock { $0.opened -= 1 }
                throw error
            }
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let refused: Bool = state.withLock { state in
                    if state.closed { return true }
                    // A connection may have come back between the first look and now.
                    if let connection = state.idle.popLast() {
                        continuation.resume(returning: connection)
                        return false
                    }
                    state.waiters.append(continuation)
                    return false
                }
                if refused { continuation.resume(throwing: DatabaseError.closed) }
            }
        }
    }

    func release(_ connection: SQLiteConnection) {
        let waiter: CheckedContinuation<SQLiteConnection, any Error>? = state.withLock { state in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        waiter?.resume(returning: connection)
    }

    func close() async {
        let (waiters, idle) = state.withLock { state in
            state.closed = true
            defer {
                state.waiters.removeAll()
                state.idle.removeAll()
            }
            return (state.waiters, state.idle)
        }
        for waiter in waiters { waiter.resume(throwing: DatabaseError.closed) }
        for connection in idle { try? await connection.close() }
        try? await threads.shutdownGracefully()
    }

    private func open() async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: threads, logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any())
        let db = connection.sql()
        // busy_timeout replaces sqlite-nio's spinning busy handler with a sleeping one that gives up.
        do {
            // busy_timeout first: switching to WAL waits for other processes' locks like any write.
            for pragma in [
                "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON",
                "PRAGMA synchronous = NORMAL",
            ] {
                try await db.raw("\(unsafeRaw: pragma)").run()
            }
        } catch {
            try? await connection.close()
            throw error
        }
        return connection
    }
}

public enum DatabaseError: Error, CustomStringConvertible {
    case closed
    case badURL(String)
    case schemaTooNew(database: Int, binary: Int)

    public var description: String {
        switch self {
        case .closed: "the database is closed"
        case .badURL(let reason): "DATABASE_URL: \(reason)"
        case .schemaTooNew(let database, let binary):
            "the database schema is at version \(database) but this binary knows only up to \(binary); run a newer revisit"
        }
    }
}
