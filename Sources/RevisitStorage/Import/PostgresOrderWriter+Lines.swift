import Foundation
import RevisitCore
import SQLKit

extension PostgresOrderWriter {
    /// The batch's lines, by (order, line number): under a known order a new line is inserted and a changed
    /// one updated; a line whose order is not known yet waits in `import_pending_lines`, replacing a
    /// different waiting version. Returns the outcome of each row that inserted or updated something, by
    /// file line.
    ///
    /// A key repeated in the batch is judged the row writer's way, row after row: each repeat compares with
    /// the row before it. A line that was new keeps its first version, a line that existed ends with the
    /// last one (the row writer updates existing rows in place but inserts new ones after the loop), and a
    /// waiting line ends with the last one.
    ///
    /// Without repeats (`repeats` false, most batches) every row is its key's first and last, and the
    /// window functions that order the repeats are left out: 50-55 ms of a 10,000-line batch's 177.
    /// In a repair-order file every order exists once the orders are written (`ordersExist`), so no line
    /// waits: the waiting lines are not looked at (14 ms of such a batch, one empty probe per line).
    func upsertLines(repeats: Bool, ordersExist: Bool, on db: any SQLDatabase) async throws -> [Int: RowWriter.Outcome]
    {
        let waiting: SQLQueryString =
            ordersExist
            ? "FALSE"
            : "o.id IS NULL AND p.store_id = s.store_id AND p.order_no = s.order_no AND p.line_no = s.line_no"
        let firstOrLater: SQLQueryString =
            repeats
            ? """
            LAG(s.line_fp) OVER in_order AS previous_fp, ROW_NUMBER() OVER in_order AS occurrence,
                    ROW_NUMBER() OVER (PARTITION BY s.order_no, s.line_no ORDER BY s.seq DESC) = 1 AS is_last
            """
            : "NULL::BIGINT AS previous_fp, 1::BIGINT AS occurrence, TRUE AS is_last"
        let window: SQLQueryString =
            repeats ? "WINDOW in_order AS (PARTITION BY s.order_no, s.line_no ORDER BY s.seq)" : ""
        let changed: SQLQueryString =
            repeats
            ? "bool_or(NOT k.present OR k.present_fp IS DISTINCT FROM k.line_fp) OVER (PARTITION BY k.order_no, k.line_no)"
            : "(NOT k.present OR k.present_fp IS DISTINCT FROM k.line_fp)"
        let row = try await db.raw(
            """
            WITH known AS (
                SELECT s.store_id, s.seq, s.line, s.order_no, s.line_no, s.line_kind, s.line_code, s.line_name, s.line_quantity,
                    s.line_amount_fen, s.line_cost_fen, s.line_fp, o.id AS order_id,
                    CASE WHEN o.id IS NULL THEN p.line_no IS NOT NULL ELSE l.line_no IS NOT NULL END AS present,
                    CASE WHEN o.id IS NULL THEN p.import_fp ELSE l.import_fp END AS present_fp,
                    \(firstOrLater)
                FROM \(unsafeRaw: Self.stageTable) s
                LEFT JOIN repair_orders o ON o.store_id = s.store_id AND o.order_no = s.order_no COLLATE "C"
                LEFT JOIN repair_order_lines l
                    ON l.store_id = s.store_id AND l.repair_order_id = o.id AND l.line_no = s.line_no
                LEFT JOIN import_pending_lines p ON \(waiting)
                WHERE s.line_no IS NOT NULL
                \(window)
            ), judged AS (
                SELECT k.*,
                    CASE
                        WHEN k.occurrence > 1 THEN
                            CASE WHEN k.line_fp = k.previous_fp THEN 0 WHEN k.order_id IS NULL THEN 2 ELSE 1 END
                        WHEN NOT k.present THEN 2
                        WHEN k.present_fp IS NOT DISTINCT FROM k.line_fp THEN 0
                        WHEN k.order_id IS NULL THEN 2
                        ELSE 1
                    END AS outcome,
                    \(changed) AS changed
                FROM known k
            ), inserted AS (
                INSERT INTO repair_order_lines (\(unsafeRaw: RowWriter.lineColumns.joined(separator: ", ")))
                SELECT j.store_id, j.order_id, j.line_no, j.line_kind, j.line_code, j.line_name, j.line_quantity,
                    j.line_amount_fen, j.line_cost_fen, j.line_fp
                FROM judged j WHERE j.order_id IS NOT NULL AND NOT j.present AND j.occurrence = 1
            ), updated AS (
                UPDATE repair_order_lines l SET kind = j.line_kind, code = j.line_code, name = j.line_name,
                    quantity = j.line_quantity, amount_fen = j.line_amount_fen, cost_fen = j.line_cost_fen,
                    import_fp = j.line_fp
                FROM judged j
                WHERE j.order_id IS NOT NULL AND j.present AND j.changed AND j.is_last
                    AND l.store_id = j.store_id AND l.repair_order_id = j.order_id AND l.line_no = j.line_no
            ), waiting AS (
                INSERT INTO import_pending_lines (store_id, order_no, line_no, kind, code, name, quantity, amount_fen,
                    cost_fen, import_fp)
                SELECT j.store_id, j.order_no, j.line_no, j.line_kind, j.line_code, j.line_name, j.line_quantity,
                    j.line_amount_fen, j.line_cost_fen, j.line_fp
                FROM judged j WHERE j.order_id IS NULL AND j.changed AND j.is_last
                ON CONFLICT (store_id, order_no, line_no) DO UPDATE SET kind = EXCLUDED.kind, code = EXCLUDED.code,
                    name = EXCLUDED.name, quantity = EXCLUDED.quantity, amount_fen = EXCLUDED.amount_fen,
                    cost_fen = EXCLUDED.cost_fen, import_fp = EXCLUDED.import_fp
            )
            SELECT array_agg(line) FILTER (WHERE outcome = 2) AS inserted, array_agg(line) FILTER (WHERE outcome = 1) AS updated
            FROM judged
            """
        ).first()
        var outcomes: [Int: RowWriter.Outcome] = [:]
        guard let row else { return outcomes }
        for line in try row.decode(column: "inserted", as: [Int64]?.self) ?? [] { outcomes[Int(line)] = .inserted }
        for line in try row.decode(column: "updated", as: [Int64]?.self) ?? [] { outcomes[Int(line)] = .updated }
        return outcomes
    }
}
