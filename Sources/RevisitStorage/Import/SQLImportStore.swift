import Foundation
import RevisitCore
import SQLKit

/// DMS import runs and the upserts of their rows, on either engine. Every batch is one transaction that
/// also moves the run's progress, so a run killed at any moment has committed whole batches only.
public struct SQLImportStore: ImportStore {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    static func requireImporter(_ storeId: Int64, _ scope: Scope) throws {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        guard scope.role.canImport else { throw RevisitError(.forbidden, code: .forbidden) }
    }

    public func start(_ request: ImportRequest, encoding: String, scope: Scope) async throws -> ImportRun {
        try Self.requireImporter(request.storeId, scope)
        let at = now()
        let id: Int64 = try await database.transaction { db in
            // A run of the same file that never finished is taken over from its last committed batch.
            let unfinished =
                request.dryRun
                ? nil
                : try await db.raw(
                    """
                    SELECT * FROM import_runs WHERE store_id = \(bind: request.storeId) AND kind = \(bind: request.kind.rawValue)
                    AND file_sha256 = \(bind: request.fileSHA256) AND status = 'running' AND dry_run = 0
                    ORDER BY id DESC LIMIT 1
                    """
                ).first().map(Self.run)
            let counts = unfinished?.counts ?? ImportCounts()
            let row = try await db.raw(
                """
                INSERT INTO import_runs (store_id, kind, file_name, file_sha256, file_size, format, encoding, mapping_name,
                    dry_run, status, rows_read, inserted, updated, unchanged, rejected, rows_done, resumed_from,
                    user_id, user_login, started_at)
                VALUES (\(bind: request.storeId), \(bind: request.kind.rawValue), \(bind: String(request.fileName.prefix(255))),
                    \(bind: request.fileSHA256), \(bind: request.fileSize), \(bind: request.format.rawValue), \(bind: encoding),
                    \(bind: request.mappingName), \(bind: request.dryRun.sqlInt), 'running', \(bind: Int64(counts.read)),
                    \(bind: Int64(counts.inserted)), \(bind: Int64(counts.updated)), \(bind: Int64(counts.unchanged)),
                    \(bind: Int64(counts.rejected)), \(bind: Int64(unfinished?.rowsDone ?? 0)), \(bind: unfinished?.id),
                    \(bind: scope.userId), \(bind: scope.login), \(bind: at.epochMilliseconds))
                RETURNING id
                """
            ).first()
            let id = try row!.int64("id")
            if let unfinished {
                try await db.raw(
                    """
                    UPDATE import_problems SET import_id = \(bind: id)
                    WHERE store_id = \(bind: request.storeId) AND import_id = \(bind: unfinished.id)
                    """
                ).run()
                try await db.raw(
                    """
                    UPDATE import_runs SET status = 'resumed', finished_at = \(bind: at.epochMilliseconds)
                    WHERE store_id = \(bind: request.storeId) AND id = \(bind: unfinished.id)
                    """
                ).run()
            }
            try await AuditWriter.insert(
                AuditRecord(
                    action: .importStarted, entityType: "import", entityId: String(id), storeId: request.storeId,
                    detail: "\(request.kind.rawValue) \(request.fileName)"),
                actor: scope.actor, at: at, on: db)
            return id
        }
        return try await run(id: id, scope: scope)
    }

    /// Thrown inside a dry run's transaction to roll its writes back while keeping what they counted.
    struct DryRunRollback: Error {
        let counts: ImportCounts
    }

    public func apply(_ batch: ImportBatch, to run: ImportRun, scope: Scope) async throws -> ImportRun {
        try Self.requireImporter(run.storeId, scope)
        let at = now()
        let writer = RowWriter(storeId: run.storeId, at: at, engine: database.engine)
        var counts: ImportCounts
        if let direct = try await applyDirect(batch, to: run, writer: writer) {
            counts = direct
        } else if run.dryRun {
            var counted = ImportCounts()
            do {
                try await database.transaction { db in
                    let counts = try await writer.write(batch, kind: run.kind, on: db)
                    throw DryRunRollback(counts: counts)
                }
            } catch let rollback as DryRunRollback {
                counted = rollback.counts
            }
            counts = counted
            try await database.transaction { [counted] db in
                try await Self.record(batch, counts: counted, run: run, on: db)
            }
        } else {
            counts = try await database.transaction { [engine = database.engine] db in
                if engine == .postgresql, run.kind == .repairOrders, run.rowsDone == 0 {
                    try await DeferredIndexes.deferRepairOrdersIfEmpty(on: db)
                }
                let counts = try await writer.write(batch, kind: run.kind, on: db)
                try await Self.record(batch, counts: counts, run: run, on: db)
                return counts
            }
        }
        counts.read = batch.rows
        counts.rejected = Set(batch.problems.map(\.line)).count
        var updated = run
        updated.counts = run.counts + counts
        updated.rowsDone += batch.rows
        return updated
    }

    /// The batch's problems and the run's new counts and resume point.
    static func record(_ batch: ImportBatch, counts: ImportCounts, run: ImportRun, on db: any SQLDatabase) async throws
    {
        let rejectedLines = Set(batch.problems.map(\.line)).count
        if !batch.problems.isEmpty {
            let last = try await db.raw(
                "SELECT COALESCE(MAX(seq), 0) AS seq FROM import_problems WHERE store_id = \(bind: run.storeId) AND import_id = \(bind: run.id)"
            ).first()
            let start = try last?.int64("seq") ?? 0
            try await BulkInsert.rows(
                "import_problems", columns: ["store_id", "import_id", "seq", "line", "column_name", "code", "args"],
                batch.problems.enumerated().map { index, problem in
                    [
                        run.storeId, run.id, start + Int64(index) + 1, Int64(problem.line), problem.column,
                        problem.code.rawValue, Self.json(problem.args),
                    ]
                }, on: db)
        }
        try await db.raw(
            """
            UPDATE import_runs SET rows_read = rows_read + \(bind: Int64(batch.rows)),
                inserted = inserted + \(bind: Int64(counts.inserted)), updated = updated + \(bind: Int64(counts.updated)),
                unchanged = unchanged + \(bind: Int64(counts.unchanged)), rejected = rejected + \(bind: Int64(rejectedLines)),
                rows_done = rows_done + \(bind: Int64(batch.rows))
            WHERE store_id = \(bind: run.storeId) AND id = \(bind: run.id)
            """
        ).run()
    }

    /// From the orders' `import_src`, read once before the file's first batch is written. Runs of this
    /// file change only orders whose first run was decided before; another import of the same store at
    /// the same time may change an order after this read, and then this import's unchanged rows count as
    /// read before that change.
    public func orderSources(storeId: Int64, scope: Scope) async throws -> OrderSources {
        try Self.requireImporter(storeId, scope)
        if let direct = database.sqliteReader { return try await orderSourcesSQLite(direct, storeId: storeId) }
        // Two arrays in one row, as the batch statements return theirs (a row each cost the client twice
        // the time there: 3.85 against 1.9 s of CPU for 200,000 rows).
        let row = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT array_agg(order_no) AS numbers, array_agg(import_src) AS sources FROM repair_orders
                WHERE store_id = \(bind: storeId) AND import_src IS NOT NULL
                """
            ).first()
        }
        let numbers = try row?.decode(column: "numbers", as: [String]?.self) ?? []
        let hashes = try row?.decode(column: "sources", as: [Int64]?.self) ?? []
        var sources = OrderSources(reserving: numbers.count)
        for (number, source) in zip(numbers, hashes) { sources.keep(source, orderNo: number) }
        return sources
    }

    public func finish(_ run: ImportRun, scope: Scope) async throws -> ImportRun {
        try Self.requireImporter(run.storeId, scope)
        let at = now()
        try await database.transaction { db in
            // Before the link-up, which finds unlinked orders through them.
            try await DeferredIndexes.rebuild(on: db)
            if !run.dryRun {
                try await RowWriter(storeId: run.storeId, at: at, engine: database.engine).resolveAll(
                    after: run.kind, on: db)
            }
            try await db.raw(
                """
                UPDATE import_runs SET status = 'done', finished_at = \(bind: at.epochMilliseconds)
                WHERE store_id = \(bind: run.storeId) AND id = \(bind: run.id)
                """
            ).run()
            let final = try await db.raw(
                "SELECT * FROM import_runs WHERE store_id = \(bind: run.storeId) AND id = \(bind: run.id)"
            ).first().map(Self.run)
            let counts = final?.counts ?? run.counts
            try await AuditWriter.insert(
                AuditRecord(
                    action: .importFinished, entityType: "import", entityId: String(run.id), storeId: run.storeId,
                    detail:
                        "\(run.kind.rawValue) read \(counts.read) inserted \(counts.inserted) updated \(counts.updated) unchanged \(counts.unchanged) rejected \(counts.rejected)\(run.dryRun ? " (dry run)" : "")"
                ),
                actor: scope.actor, at: at, on: db)
        }
        let done = try await self.run(id: run.id, scope: scope)
        try await refreshStatistics(after: done)
        // New customers from a DMS file get owners at once, when the store wants it (DOMAIN §4).
        let ownership = SQLOwnershipStore(database: database, now: now)
        if !run.dryRun, run.kind == .customers, scope.role.canRunSegments,
            try await ownership.settings(storeId: run.storeId, scope: scope).onImport
        {
            try await ownership.assignUnowned(storeId: run.storeId, reason: "imported", scope: scope)
        }
        // Assigning owners leaves the run as it was.
        return done
    }

    /// After a large load PostgreSQL's statistics still describe the tables before it, until autovacuum
    /// gets round to them: the same file imported again at once was planned for empty tables and took
    /// twice as long as the first import (1M rows). Analysed here, in well under a second.
    func refreshStatistics(after run: ImportRun) async throws {
        guard database.engine == .postgresql, !run.dryRun, run.counts.inserted >= 10_000 else { return }
        let tables =
            switch run.kind {
            case .customers: "customers, customer_phones"
            case .vehicles: "vehicles, vehicle_owners"
            case .repairOrders, .lines: "repair_orders, repair_order_lines"
            }
        try await database.run("ANALYZE \(unsafeRaw: tables)")
    }

    public func close(
        _ run: ImportRun, status: ImportStatus, code: ErrorCode, args: [String: String], scope: Scope
    ) async throws -> ImportRun {
        let at = now()
        try await database.transaction { db in try await DeferredIndexes.rebuild(on: db) }
        try await database.run(
            """
            UPDATE import_runs SET status = \(bind: status.rawValue), message_code = \(bind: code.rawValue),
                message_args = \(bind: Self.json(args)), finished_at = \(bind: at.epochMilliseconds)
            WHERE store_id = \(bind: run.storeId) AND id = \(bind: run.id)
            """)
        return try await self.run(id: run.id, scope: scope)
    }

    public func run(id: Int64, scope: Scope) async throws -> ImportRun {
        guard
            let run = try await database.all(
                "SELECT * FROM import_runs WHERE id = \(bind: id) AND " + scope.storeFilter("store_id")
            ).first.map(Self.run)
        else { throw RevisitError.notFound() }
        return run
    }

    public func runs(storeId: Int64?, limit: Int, scope: Scope) async throws -> [ImportRun] {
        var query: SQLQueryString = "SELECT * FROM import_runs WHERE " + scope.storeFilter("store_id")
        if let storeId { query += " AND store_id = \(bind: storeId)" }
        query += " ORDER BY started_at DESC, id DESC LIMIT \(bind: Int64(max(1, min(limit, 500))))"
        return try await database.all(query).map(Self.run)
    }

    public func problems(importId: Int64, limit: Int, scope: Scope) async throws -> [ImportProblem] {
        let run = try await run(id: importId, scope: scope)
        return try await database.all(
            """
            SELECT * FROM import_problems WHERE store_id = \(bind: run.storeId) AND import_id = \(bind: importId)
            ORDER BY seq LIMIT \(bind: Int64(max(1, limit)))
            """
        ).map { row in
            ImportProblem(
                line: Int(try row.int64("line")), column: try row.string("column_name"),
                code: ErrorCode(rawValue: try row.string("code")) ?? .invalidValue,
                args: Self.dictionary(try row.string("args")))
        }
    }

    public func mappings(storeId: Int64, scope: Scope) async throws -> [ImportMapping] {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        return try await database.all(
            "SELECT * FROM import_mappings WHERE store_id = \(bind: storeId) ORDER BY name"
        ).compactMap { row in
            guard let kind = ImportKind(rawValue: try row.string("kind")) else { return nil }
            var fields: [ImportField: String] = [:]
            for (key, value) in Self.dictionary(try row.string("fields")) {
                if let field = ImportField(rawValue: key) { fields[field] = value }
            }
            return ImportMapping(name: try row.string("name"), kind: kind, fields: fields)
        }
    }

    public func saveMapping(_ mapping: ImportMapping, storeId: Int64, scope: Scope) async throws {
        try Self.requireImporter(storeId, scope)
        let name = try FieldRules.text(mapping.name, field: "name", max: 100)
        let fields = Self.json(Dictionary(uniqueKeysWithValues: mapping.fields.map { ($0.key.rawValue, $0.value) }))
        let at = now()
        try await database.transaction { db in
            try await db.raw(
                "DELETE FROM import_mappings WHERE store_id = \(bind: storeId) AND name = \(bind: name)"
            ).run()
            try await db.raw(
                """
                INSERT INTO import_mappings (store_id, name, kind, fields, updated_at)
                VALUES (\(bind: storeId), \(bind: name), \(bind: mapping.kind.rawValue), \(bind: fields), \(bind: at.epochMilliseconds))
                """
            ).run()
            try await AuditWriter.insert(
                AuditRecord(
                    action: .importMappingSaved, entityType: "import_mapping", entityId: name, storeId: storeId,
                    detail: mapping.kind.rawValue),
                actor: scope.actor, at: at, on: db)
        }
    }

    static func run(_ row: any SQLRow) throws -> ImportRun {
        ImportRun(
            id: try row.int64("id"), storeId: try row.int64("store_id"),
            kind: ImportKind(rawValue: try row.string("kind")) ?? .customers, fileName: try row.string("file_name"),
            fileSHA256: try row.string("file_sha256"), fileSize: try row.int64("file_size"),
            format: ImportFormat(rawValue: try row.string("format")) ?? .csv, encoding: try row.string("encoding"),
            mappingName: try row.string("mapping_name"), dryRun: try row.bool("dry_run"),
            status: ImportStatus(rawValue: try row.string("status")) ?? .failed,
            counts: ImportCounts(
                read: Int(try row.int64("rows_read")), inserted: Int(try row.int64("inserted")),
                updated: Int(try row.int64("updated")), unchanged: Int(try row.int64("unchanged")),
                rejected: Int(try row.int64("rejected"))),
            rowsDone: Int(try row.int64("rows_done")), resumedFrom: try row.optionalInt64("resumed_from"),
            messageCode: try row.optionalString("message_code"),
            messageArgs: dictionary(try row.optionalString("message_args") ?? "{}"),
            userLogin: try row.string("user_login"), startedAt: try row.date("started_at"),
            finishedAt: try row.optionalDate("finished_at"))
    }

    static func json(_ values: [String: String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "{}"
    }

    static func dictionary(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
