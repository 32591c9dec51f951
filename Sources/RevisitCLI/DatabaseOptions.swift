import ArgumentParser
import Foundation
import Logging
import Metrics
import RevisitCore
import RevisitStorage

/// Where the data lives; shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "Folder of the embedded SQLite database (env REVISIT_DATA_DIR; default ./revisit-data).")
    var dataDir: String?

    @Option(
        name: .customLong("database-url"),
        help: "postgres://user:password@host:port/database to use PostgreSQL instead (env DATABASE_URL).")
    var databaseURL: String?

    /// Flags first, then the environment, then defaults.
    func apply(to config: inout AppConfig, environment: [String: String] = ProcessInfo.processInfo.environment) {
        config.dataDirectory =
            dataDir ?? environment["REVISIT_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./revisit-data"
        config.databaseURL = databaseURL ?? environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the database, brings its schema up to date, runs `body` and closes it again.
    func withDatabase<T: Sendable>(
        logger: Logger, _ body: @Sendable (Database, AppConfig) async throws -> T
    ) async throws -> T {
        var config = AppConfig()
        apply(to: &config)
        try await DatabaseErrorText.requireReachable(url: config.databaseURL)
        let database = try Database.open(config: config, logger: logger, metrics: NOOPMetricsHandler.instance)
        do {
            try await MigrationRunner(database: database, logger: logger).run()
            let result = try await body(database, config)
            await database.close()
            return result
        } catch {
            await database.close()
            throw await DatabaseErrorText.explained(error, url: config.databaseURL)
        }
    }
}
