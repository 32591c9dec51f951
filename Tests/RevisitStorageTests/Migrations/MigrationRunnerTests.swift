import Foundation
import RevisitStorage
import RevisitTestSupport
import SQLKit
import Testing

@Suite struct MigrationRunnerTests {
    @Test(arguments: TestDatabase.engines)
    func migratingTwiceAppliesNothingTheSecondTime(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrate: false) { (database: Database) async throws in
            let runner = MigrationRunner(database: database, logger: TestDatabase.logger)
            #expect(try await runner.run() == Migrations.all.map(\.version))
            #expect(try await runner.run() == [])
            #expect(try await runner.currentVersion() == Migrations.latestVersion)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aDatabaseFromANewerBinaryIsRefused(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            try await database.run(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
            await #expect(throws: DatabaseError.self) {
                try await MigrationRunner(database: database, logger: TestDatabase.logger).run()
            }
        }
    }

    @Test func migrationVersionsAreNumberedWithoutGaps() {
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
    }

    @Test(arguments: TestDatabase.engines)
    func aFailingStatementLeavesNoTrace(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let broken = Migration(version: Migrations.latestVersion + 1, name: "broken") { _ in
                ["CREATE TABLE half_done (id BIGINT)", "THIS IS NOT SQL"]
            }
            let runner = MigrationRunner(
                database: database, migrations: Migrations.all + [broken], logger: TestDatabase.logger)
            await #expect(throws: (any Error).self) { try await runner.run() }
            #expect(try await runner.currentVersion() == Migrations.latestVersion)
            await #expect(throws: (any Error).self) { try await database.run("SELECT * FROM half_done") }
        }
    }
}
