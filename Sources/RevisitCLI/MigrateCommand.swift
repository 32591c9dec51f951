import ArgumentParser
import RevisitStorage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the database schema up to date (serve also does this at start).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CLI.run {
            let version = try await database.withDatabase(logger: CLI.logger) { db, _ in
                try await MigrationRunner(database: db, logger: CLI.logger).currentVersion()
            }
            print("schema is at version \(version)")
        }
    }
}
