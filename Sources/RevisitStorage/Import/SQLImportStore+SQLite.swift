import Foundation
import NIOPosix
import RevisitCore

extension SQLImportStore {
    /// Writes a batch of repair orders or lines through SQLite's direct writable connection (see
    /// `SQLiteOrderWriter`), on NIO's thread pool since every statement blocks. Nil when the batch is not
    /// for that path (another engine or kind).
    func applyDirect(_ batch: ImportBatch, to run: ImportRun, writer: RowWriter) async throws -> ImportCounts? {
        guard let direct = database.sqliteReader, run.kind == .repairOrders || run.kind == .lines else { return nil }
        return try await NIOThreadPool.singleton.runIfActive {
            if run.dryRun {
                do {
                    try direct.write { db -> Void in
                        throw DryRunRollback(counts: try SQLiteOrderWriter(writer, on: db).write(batch, kind: run.kind))
                    }
                } catch let rollback as DryRunRollback {
                    try direct.write { db in try Self.record(batch, counts: rollback.counts, run: run, on: db) }
                    return rollback.counts
                }
            }
            return try direct.write { db in
                if run.kind == .repairOrders, run.rowsDone == 0 {
                    try DeferredIndexes.deferIfEmpty("repair_orders", DeferredIndexes.repairOrders, on: db)
                }
                let counts = try SQLiteOrderWriter(writer, on: db).write(batch, kind: run.kind)
                try Self.record(batch, counts: counts, run: run, on: db)
                return counts
            }
        }
    }

    /// The hashes kept with the store's orders, on a reading connection. Through the orders' numbers'
    /// index: the planner took the vehicles' one (also led by the store) and then met the orders in no
    /// order at all (0.43 s against 0.07 s for the benchmark's 285,000 orders).
    func orderSourcesSQLite(_ direct: SQLiteReader, storeId: Int64) async throws -> OrderSources {
        try await NIOThreadPool.singleton.runIfActive {
            try direct.read { db in
                // Counted first (from the index alone), so the table is made its size once, not grown as it fills.
                var count: Int64 = 0
                try db.scan(
                    "SELECT COUNT(*) FROM repair_orders INDEXED BY repair_orders_no WHERE store_id = ?", [.int(storeId)]
                ) { count = $0.int64(0) }
                var sources = OrderSources(reserving: Int(count))
                try db.scan(
                    """
                    SELECT order_no, import_src FROM repair_orders INDEXED BY repair_orders_no
                    WHERE store_id = ? AND import_src IS NOT NULL
                    """, [.int(storeId)]
                ) { row in row.utf8(0) { sources.keep(row.int64(1), orderNoUTF8: $0) } }
                return sources
            }
        }
    }

    /// `record` on the direct connection, inside the batch's transaction.
    static func record(
        _ batch: ImportBatch, counts: ImportCounts, run: ImportRun, on db: SQLiteReader.Connection
    ) throws {
        let store = SQLScalar.int(run.storeId)
        let importId = SQLScalar.int(run.id)
        if !batch.problems.isEmpty {
            var seq: Int64 = 0
            try db.rows(
                "SELECT COALESCE(MAX(seq), 0) FROM import_problems WHERE store_id = ? AND import_id = ?",
                [store, importId]
            ) {
                seq = try $0.int(0)
            }
            for problem in batch.problems {
                seq += 1
                try db.run(
                    """
                    INSERT INTO import_problems (store_id, import_id, seq, line, column_name, code, args)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        store, importId, .int(seq), .int(Int64(problem.line)), .string(problem.column),
                        .string(problem.code.rawValue), .string(json(problem.args)),
                    ])
            }
        }
        try db.run(
            """
            UPDATE import_runs SET rows_read = rows_read + ?1, inserted = inserted + ?2, updated = updated + ?3,
                unchanged = unchanged + ?4, rejected = rejected + ?5, rows_done = rows_done + ?1
            WHERE store_id = ?6 AND id = ?7
            """,
            [
                .int(Int64(batch.rows)), .int(Int64(counts.inserted)), .int(Int64(counts.updated)),
                .int(Int64(counts.unchanged)), .int(Int64(Set(batch.problems.map(\.line)).count)), store, importId,
            ])
    }
}
