import Foundation
import Logging
import SQLKit

/// Applies the migrations a database has not seen yet, each in its own transaction. On PostgreSQL an
/// advisory lock keeps several app servers starting at once from applying the same step twice.
public struct MigrationRunner: Sendable {
    let database: Database
    let migrations: [Migration]
    let logger: Logger

    public init(database: Database, migrations: [Migration] = Migrations.all, logger: Logger) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// - Returns: the versions applied by this call.
    @discardableResult
    public func run() async throws -> [Int] {
        try await database.run(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        )
        try await DeferredIndexes.rebuildLeftovers(database)
        let known = migrations.map(\.version).max() ?? 0
        let current = try await currentVersion()
        if current > known { throw DatabaseError.schemaTooNew(database: current, binary: known) }
        var applied: [Int] = []
        let ddl = DDL(engine: database.engine)
        let engine = database.engine
        for migration in migrations where migration.version > current {
            let didApply = try await database.transaction { db in
                if engine == .postgresql {
                    try await db.raw("SELECT pg_advisory_xact_lock(7263849)").run()
                }
                let already = try await db.raw(
                    "SELECT version FROM schema_migrations WHERE version = \(bind: Int64(migration.version))"
                ).first()
                if already != nil { return false }
                for statement in migration.statements(ddl) {
                    try await db.raw("\(unsafeRaw: statement)").run()
                }
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: Int64(migration.version)), \(bind: migration.name), \(bind: Date().epochMilliseconds))
                    """
                ).run()
                return true
            }
            if didApply {
                logger.info(
                    "applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }

    public func currentVersion() async throws -> Int {
        let rows = try await database.all("SELECT MAX(version) AS version FROM schema_migrations")
        return Int(try rows.first?.optionalInt64("version") ?? 0)
    }
}
