import Foundation
import RevisitCore
import SQLKit

/// `RowWriter.repairOrders` on PostgreSQL, set-based: the batch is COPYed into a staging table and each
/// step of the row writer becomes one statement over it, with the same rules and the same counts. The
/// steps run in the row writer's order (orders, waiting lines, the batch's lines, sums), because each
/// one reads what the one before wrote.
struct PostgresOrderWriter {
    let rows: RowWriter

    var storeId: Int64 { rows.storeId }

    func write(_ records: [RepairOrderImport], kind: ImportKind, on db: any SQLDatabase) async throws -> ImportCounts {
        guard !records.isEmpty else { return ImportCounts() }
        let shape = BatchShape(records)
        try await stage(records, shape, on: db)
        // Every statement below reaches stored rows from the staged ones by unique keys. Joined by hash or
        // merge, the batch met every order and line of the store instead, a cost that grew with each batch
        // (at 200,000 rows the last batches hashed 170,000 lines and 51,000 orders: 130 of their 230 ms).
        try await db.raw("SET LOCAL enable_hashjoin = off").run()
        try await db.raw("SET LOCAL enable_mergejoin = off").run()
        var written = WrittenOrders()
        var attached: Set<String> = []
        if kind == .repairOrders {
            written = try await upsertOrders(on: db)
            attached = try await attachPendingLines(written.inserted, on: db)
        }
        var lineOutcome: [Int: RowWriter.Outcome] = [:]
        if records.contains(where: { $0.item != nil }) {
            lineOutcome = try await upsertLines(
                repeats: shape.repeated.contains(true), ordersExist: kind == .repairOrders, on: db)
        }
        if kind == .repairOrders {
            let numbers = Self.toSum(records, shape, written: written, attached: attached, lines: lineOutcome)
            try await sumLines(ofOrders: numbers, on: db)
        }
        try await keepSources(Self.sources(records, written: written, lines: lineOutcome), on: db)
        return RowWriter.count(records, orders: written.outcomes, lines: lineOutcome)
    }

    static let stageTable = "import_stage_repair_orders"

    /// One row per record, nil kept as NULL: `seq` is the record's place in the batch, `continues` its
    /// `continuesOrder`; the `line_` columns are its line item, NULL when it has none. The rest is the
    /// batch's shape (`BatchShape`), counted here rather than by window functions in each statement. The statements join
    /// on the staged `store_id` rather than a bound one: while a new store's first import runs, the
    /// planner's statistics say the store has no rows, and a bound store id would have it scan all of
    /// the store's rows for each staged one.
    static let stageColumns: [(name: String, type: String)] = [
        ("store_id", "BIGINT"), ("seq", "BIGINT"), ("line", "BIGINT"), ("order_no", "TEXT"), ("continues", "BOOLEAN"),
        ("opened_on", "TEXT"), ("opened_minute", "BIGINT"),
        ("closed_on", "TEXT"), ("mileage_in", "BIGINT"), ("type", "TEXT"), ("customer_no", "TEXT"), ("vin", "TEXT"),
        ("advisor_name", "TEXT"), ("labor_fen", "BIGINT"), ("parts_fen", "BIGINT"), ("total_fen", "BIGINT"),
        ("cost_fen", "BIGINT"), ("internal_comeback", "BIGINT"), ("external_comeback", "BIGINT"),
        ("order_fp", "BIGINT"), ("source", "BIGINT"), ("line_no", "BIGINT"), ("line_kind", "TEXT"),
        ("line_code", "TEXT"),
        ("line_name", "TEXT"), ("line_quantity", "DOUBLE PRECISION"), ("line_amount_fen", "BIGINT"),
        ("line_cost_fen", "BIGINT"), ("line_fp", "BIGINT"), ("candidate", "BOOLEAN"), ("repeated", "BOOLEAN"),
        ("from_lines", "BOOLEAN"), ("lines_labor", "BIGINT"), ("lines_parts", "BIGINT"), ("lines_total", "BIGINT"),
        ("lines_cost", "BIGINT"),
    ]

    /// The staging table lives as long as the connection and is empty at the start of every transaction
    /// (emptied at commit, and a rollback takes its rows away too).
    func stage(_ records: [RepairOrderImport], _ shape: BatchShape, on db: any SQLDatabase) async throws {
        // A batch reaches its rows through unique indexes; priced at the default (spinning disk) cost the
        // planner hashes whole tables instead, a cost that grows with every batch. Until the commit only.
        try await db.raw("SET LOCAL random_page_cost = 1.1").run()
        let columns = Self.stageColumns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        try await db.raw(
            "CREATE TEMP TABLE IF NOT EXISTS \(unsafeRaw: Self.stageTable) (\(unsafeRaw: columns)) ON COMMIT DELETE ROWS"
        ).run()
        var copy = PostgresCopyRows(capacity: records.count * 160)
        for (seq, record) in records.enumerated() {
            copy.append(storeId)
            copy.append(Int64(seq))
            copy.append(Int64(record.line))
            copy.append(record.orderNo)
            copy.append(record.continuesOrder)
            // Only the rows that may stand for their order carry its fields: the others' are never read.
            if shape.candidate[seq] {
                copy.append(record.openedOn?.description)
                copy.append(record.openedMinute.map { Int64($0) })
                copy.append(record.closedOn?.description)
                copy.append(record.mileageIn.map { Int64($0) })
                copy.append(record.type?.rawValue)
                copy.append(record.customerNo)
                copy.append(record.vin)
                copy.append(record.advisorName)
                copy.append(record.laborFen)
                copy.append(record.partsFen)
                copy.append(record.totalFen)
                copy.append(record.costFen)
                copy.append(record.internalComeback?.sqlInt)
                copy.append(record.externalComeback?.sqlInt)
                copy.append(Int64(bitPattern: record.fingerprint))
                copy.append(record.source)
            } else {
                copy.appendNulls(16)
            }
            let item = record.item
            copy.append(item?.lineNo.map { Int64($0) })
            copy.append(item?.kind.rawValue)
            copy.append(item?.code)
            copy.append(item?.name)
            copy.append(item?.quantity)
            copy.append(item?.amountFen)
            copy.append(item?.costFen)
            copy.append(item.map { Int64(bitPattern: $0.fingerprint) })
            let order = shape.orders[shape.order[seq]]
            copy.append(shape.candidate[seq])
            copy.append(shape.repeated[seq])
            copy.append(order.fromLines)
            copy.append(order.labor)
            copy.append(order.parts)
            copy.append(order.total)
            copy.append(order.cost)
            copy.endRow()
        }
        try await copy.copy(into: Self.stageTable, columns: Self.stageColumns.map(\.name), on: db)
    }
}
