import Foundation
import Logging
import Metrics
import PostgresKit
import PostgresNIO
import RevisitCore
import SQLKit
import SQLiteKit

/// One handle on the database, whichever engine: pooled connections, transactions, and the pool's metrics.
public final class Database: Sendable {
    public let engine: DatabaseEngine
    private let backend: Backend
    private let logger: Logger
    private let acquireTimer: Metrics.Timer
    private let inUseGauge: Gauge
    private let inUseCount = Counter()
    /// Token owners and cross-store scopes, shared by every store object on this handle.
    public let identityCache = IdentityCache()

    private enum Backend: Sendable {
        case sqlite(SQLiteConnectionPool, SQLiteReader)
        case postgres(PostgresClient, Task<Void, Never>)
    }

    /// Opens the embedded database, creating its folder when needed.
    public static func sqlite(
        path: String, maxConnections: Int = 4, logger: Logger, metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) throws -> Database {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pool = SQLiteConnectionPool(path: path, maxConnections: maxConnections, logger: logger)
        return Database(
            engine: .sqlite, backend: .sqlite(pool, SQLiteReader(path: path)), logger: logger, metrics: metrics)
    }

    /// Connects to PostgreSQL; the pool runs until `close()`.
    public static func postgres(
        url: String, maxConnections: Int = 20, logger: Logger, metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) throws -> Database {
        var configuration = try PostgresURL.configuration(from: url)
        configuration.options.maximumConnections = maxConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let task = Task { await client.run() }
        return Database(engine: .postgresql, backend: .postgres(client, task), logger: logger, metrics: metrics)
    }

    /// SQLite at the data folder unless a PostgreSQL URL is given.
    public static func open(config: AppConfig, logger: Logger, metrics: any MetricsFactory) throws -> Database {
        if let url = config.databaseURL, !url.isEmpty {
            return try postgres(url: url, logger: logger, metrics: metrics)
        }
        return try sqlite(path: config.sqlitePath, logger: logger, metrics: metrics)
    }

    private init(engine: DatabaseEngine, backend: Backend, logger: Logger, metrics: any MetricsFactory) {
        self.engine = engine
        self.backend = backend
        self.logger = logger
        let dimensions = [("engine", engine.rawValue)]
        self.acquireTimer = Metrics.Timer(
            label: "revisit_db_pool_acquire_seconds", dimensions: dimensions, factory: metrics)
        self.inUseGauge = Gauge(label: "revisit_db_pool_connections_in_use", dimensions: dimensions, factory: metrics)
    }

    public func close() async {
        switch backend {
        case .sqlite(let pool, let reader):
            reader.close()
            await pool.close()
        case .postgres(_, let task): task.cancel()
        }
    }

    /// Runs `body` on one pooled connection.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        switch backend {
        case .sqlite(let pool, _):
            let connection = try await pool.acquire()
            recordAcquired(since: started)
            defer { recordReleased() }
            do {
                let result = try await body(connection.sql(queryLogLevel: .trace))
                pool.release(connection)
                return result
            } catch {
                pool.release(connection)
                throw error
            }
        case .postgres(let client, _):
            return try await client.withConnection { connection in
                self.recordAcquired(since: started)
                defer { self.recordReleased() }
                return try await body(PostgresConnectionSQL(connection, queryLogLevel: .trace))
            }
        }
    }

    /// Runs `body` in one transaction: it commits when `body` returns and rolls back when it throws,
    /// so a refused request leaves no trace.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withConnection { db in
            try await db.raw("\(unsafeRaw: begin)").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// The prepared-statement reader for the hottest read paths, on SQLite only (see `SQLiteReader`).
    var sqliteReader: SQLiteReader? {
        if case .sqlite(_, let reader) = backend { return reader }
        return nil
    }

    /// Rows of one query on any pooled connection.
    public func all(_ query: SQLQueryString) async throws -> [any SQLRow] {
        try await withConnection { db in try await db.raw(query).all() }
    }

    public func run(_ query: SQLQueryString) async throws {
        try await withConnection { db in try await db.raw(query).run() }
    }

    private func recordAcquired(since started: ContinuousClock.Instant) {
        let waited = ContinuousClock.now - started
        acquireTimer.recordNanoseconds(
            waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
        inUseGauge.record(inUseCount.add(1))
    }

    private func recordReleased() {
        inUseGauge.record(inUseCount.add(-1))
    }

    /// A thread-safe integer for the in-use gauge.
    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func add(_ delta: Int) -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += delta
            return value
        }
    }
}
