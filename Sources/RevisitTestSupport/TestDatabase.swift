import Foundation
import Logging
import Metrics
import RevisitStorage
import SQLKit

/// Test databases on every engine the run has: SQLite always, PostgreSQL when
/// REVISIT_TEST_DATABASE_URL is set (scripts/test sets it). Each test gets its own SQLite file or
/// PostgreSQL schema, migrated, and dropped afterwards.
public enum TestDatabase {
    public static var engines: [DatabaseEngine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgresql]
    }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["REVISIT_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static let logger: Logger = {
        var logger = Logger(label: "revisit.test")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a freshly migrated database of `engine`, then removes it.
    public static func with<T: Sendable>(
        _ engine: DatabaseEngine, migrate: Bool = true, metrics: any MetricsFactory = NOOPMetricsHandler.instance,
        _ body: (Database) async throws -> T
    ) async throws -> T {
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("revisit-tests")
            let path = folder.appendingPathComponent("\(UUID().uuidString).sqlite").path
            let database = try Database.sqlite(path: path, logger: logger, metrics: metrics)
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            return try await run(database, migrate: migrate, body)
        case .postgresql:
            guard let url = postgresURL else { fatalError("PostgreSQL tests need REVISIT_TEST_DATABASE_URL") }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            let admin = try Database.postgres(url: url, maxConnections: 1, logger: logger)
            try await admin.run("CREATE SCHEMA \(unsafeRaw: String(schema))")
            let separator = url.contains("?") ? "&" : "?"
            let database = try Database.postgres(
                url: url + separator + "search_path=\(schema)", maxConnections: 4, logger: logger)
            do {
                let result = try await run(database, migrate: migrate, body)
                try await admin.run("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE")
                await admin.close()
                return result
            } catch {
                try? await admin.run("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE")
                await admin.close()
                throw error
            }
        }
    }

    private static func run<T: Sendable>(
        _ database: Database, migrate: Bool, _ body: (Database) async throws -> T
    ) async throws -> T {
        do {
            if migrate { try await MigrationRunner(database: database, logger: logger).run() }
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
