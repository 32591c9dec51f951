import Logging
import SQLiteKit

/// A few SQLite connections to one file. WAL lets readers run beside the one writer; write
/// transactions start with BEGIN IMMEDIATE so two writers queue instead of deadlocking.
actor SQLiteConnectionPool {
    private let path: String
    private let maxConnections: Int
    private let logger: Logger
    private var idle: [SQLiteConnection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
    private var closed = false

    init(path: String, maxConnections: Int, logger: Logger) {
        self.path = path
        self.maxConnections = maxConnections
        self.logger = logger
    }

    func acquire() async throws -> SQLiteConnection {
        guard !closed else { throw DatabaseError.closed }
        if let connection = idle.popLast() { return connection }
        if opened < maxConnections {
            opened += 1
            do {
                return try await open()
            } catch {
                opened -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    func release(_ connection: SQLiteConnection) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    func close() async {
        closed = true
        for waiter in waiters { waiter.resume(throwing: DatabaseError.closed) }
        waiters.removeAll()
        for connection in idle { try? await connection.close() }
        idle.removeAll()
    }

    var inUse: Int { opened - idle.count }

    private func open() async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let db = connection.sql()
        // busy_timeout replaces sqlite-nio's spinning busy handler with a sleeping one that gives up.
        for pragma in [
            "PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
            "PRAGMA busy_timeout = 10000",
        ] {
            try await db.raw("\(unsafeRaw: pragma)").run()
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
