import Foundation
import RevisitCore
import SQLKit

extension PostgresOrderWriter {
    /// Inserts new orders, updates changed ones and moves each vehicle's newest reading, in one statement
    /// whose parts all see the orders as they were before the batch. An order's fields come from its first
    /// row in the batch; a continuing row only stands for an order that does not exist yet. Returns the
    /// orders inserted (with their ids) or updated.
    func upsertOrders(on db: any SQLDatabase) async throws -> WrittenOrders {
        let stage = Self.stageTable
        // `COLLATE "C"` lets the join use the byte-wise unique index on order numbers.
        let row = try await db.raw(
            """
            WITH known AS (
                -- Only the rows that may stand for their order (see `BatchShape`) meet the stored orders.
                SELECT s.*, o.id AS order_id
                FROM \(unsafeRaw: stage) s
                LEFT JOIN repair_orders o ON o.store_id = s.store_id AND o.order_no = s.order_no COLLATE "C"
                WHERE s.candidate
            ), chosen AS (
                SELECT DISTINCT ON (k.order_no) k.* FROM known k
                WHERE NOT k.continues OR k.order_id IS NULL
                ORDER BY k.order_no, k.seq
            ), resolved AS (
                SELECT c.*,
                    (SELECT COALESCE(cu.merged_into_id, cu.id) FROM customers cu
                        WHERE cu.store_id = c.store_id AND cu.customer_no = c.customer_no) AS customer_id,
                    (SELECT v.id FROM vehicles v WHERE v.store_id = c.store_id AND v.vin = c.vin) AS vehicle_id,
                    COALESCE(
                        (SELECT a.user_id FROM advisor_aliases a WHERE a.store_id = c.store_id AND a.name = c.advisor_name),
                        (SELECT MAX(u.id) FROM users u JOIN user_stores us ON us.user_id = u.id
                            WHERE us.store_id = c.store_id AND u.name = c.advisor_name)) AS advisor_id
                FROM chosen c
            ), updated AS (
                UPDATE repair_orders o SET
                    opened_on = COALESCE(r.opened_on, o.opened_on),
                    opened_minute = COALESCE(r.opened_minute, o.opened_minute), closed_on = COALESCE(r.closed_on, o.closed_on),
                    mileage_in = COALESCE(r.mileage_in, o.mileage_in), type = COALESCE(r.type, o.type),
                    customer_no = COALESCE(r.customer_no, o.customer_no),
                    customer_id = CASE WHEN r.customer_no IS NULL THEN o.customer_id ELSE r.customer_id END,
                    vin_ref = COALESCE(r.vin, o.vin_ref),
                    vehicle_id = CASE WHEN r.vin IS NULL THEN o.vehicle_id ELSE r.vehicle_id END,
                    advisor_name = COALESCE(r.advisor_name, o.advisor_name),
                    advisor_id = CASE WHEN r.advisor_name IS NULL THEN o.advisor_id ELSE r.advisor_id END,
                    labor_fen = COALESCE(r.labor_fen, o.labor_fen), parts_fen = COALESCE(r.parts_fen, o.parts_fen),
                    total_fen = COALESCE(r.total_fen, o.total_fen), cost_fen = COALESCE(r.cost_fen, o.cost_fen),
                    internal_comeback = COALESCE(r.internal_comeback, o.internal_comeback),
                    external_comeback = COALESCE(r.external_comeback, o.external_comeback),
                    import_fp = r.order_fp, updated_at = \(bind: rows.millis)
                FROM resolved r
                WHERE o.store_id = r.store_id AND o.id = r.order_id AND o.import_fp IS DISTINCT FROM r.order_fp
                RETURNING o.order_no, NULL::BIGINT AS id
            ), inserted AS (
                INSERT INTO repair_orders (store_id, order_no, vehicle_id, customer_id, advisor_id, advisor_name, type,
                    opened_on, opened_minute, closed_on, mileage_in, labor_fen, parts_fen, total_fen, cost_fen,
                    internal_comeback, external_comeback, customer_no, vin_ref, import_fp, import_src, created_at,
                    updated_at)
                SELECT r.store_id, r.order_no, r.vehicle_id, r.customer_id, r.advisor_id, COALESCE(r.advisor_name, ''),
                    COALESCE(r.type, \(bind: RepairOrderType.other.rawValue)), COALESCE(r.opened_on, \(bind: rows.today.description)),
                    r.opened_minute, r.closed_on, r.mileage_in,
                    CASE WHEN r.from_lines THEN r.lines_labor ELSE COALESCE(r.labor_fen, 0) END,
                    CASE WHEN r.from_lines THEN r.lines_parts ELSE COALESCE(r.parts_fen, 0) END,
                    CASE WHEN r.from_lines THEN r.lines_total
                        ELSE COALESCE(r.total_fen, COALESCE(r.labor_fen, 0) + COALESCE(r.parts_fen, 0)) END,
                    CASE WHEN r.from_lines THEN r.lines_cost ELSE COALESCE(r.cost_fen, 0) END,
                    COALESCE(r.internal_comeback, 0), COALESCE(r.external_comeback, 0), r.customer_no, r.vin, r.order_fp,
                    r.source, \(bind: rows.millis), \(bind: rows.millis)
                FROM resolved r WHERE r.order_id IS NULL
                ORDER BY r.seq
                RETURNING order_no, id
            ), mileage AS (
                UPDATE vehicles v SET mileage_km = m.mileage_in, mileage_read_on = m.day
                FROM (
                    SELECT DISTINCT ON (r.vehicle_id) r.store_id, r.vehicle_id, r.mileage_in, COALESCE(r.closed_on, r.opened_on) AS day
                    FROM resolved r
                    WHERE r.vehicle_id IS NOT NULL AND r.mileage_in IS NOT NULL
                        AND COALESCE(r.closed_on, r.opened_on) IS NOT NULL
                    ORDER BY r.vehicle_id, COALESCE(r.closed_on, r.opened_on) DESC, r.seq
                ) m
                WHERE v.store_id = m.store_id AND v.id = m.vehicle_id
                    AND (v.mileage_read_on IS NULL OR v.mileage_read_on < m.day)
            )
            -- Three arrays in one row: as rows, decoding the batch's thousands of numbers took the client
            -- longer than the statement.
            SELECT (SELECT array_agg(order_no) FROM updated) AS updated,
                (SELECT array_agg(order_no ORDER BY id) FROM inserted) AS inserted_no,
                (SELECT array_agg(id ORDER BY id) FROM inserted) AS inserted_id
            """
        ).first()
        var written = WrittenOrders()
        guard let row else { return written }
        for number in try row.decode(column: "updated", as: [String]?.self) ?? [] {
            written.outcomes[number] = .updated
        }
        let numbers = try row.decode(column: "inserted_no", as: [String]?.self) ?? []
        let ids = try row.decode(column: "inserted_id", as: [Int64]?.self) ?? []
        for (number, id) in zip(numbers, ids) {
            written.outcomes[number] = .inserted
            written.inserted.append((number, id))
        }
        return written
    }

    struct WrittenOrders {
        var outcomes: [String: RowWriter.Outcome] = [:]
        var inserted: [(number: String, id: Int64)] = []
    }

    /// Lines that arrived before their order (a `lines` file loaded first) join it now; the order's amounts
    /// then come from them, as in the row writer. Returns the numbers of the orders that had any.
    func attachPendingLines(
        _ orders: [(number: String, id: Int64)], on db: any SQLDatabase
    ) async throws -> Set<String> {
        guard !orders.isEmpty else { return [] }
        let attached = try await db.raw(
            """
            WITH moved AS (
                DELETE FROM import_pending_lines p
                USING unnest(\(bind: orders.map { _ in storeId }), \(bind: orders.map(\.number)), \(bind: orders.map(\.id)))
                    AS n(store_id, order_no, order_id)
                WHERE p.store_id = n.store_id AND p.order_no = n.order_no
                RETURNING n.order_id, p.line_no, p.kind, p.code, p.name, p.quantity, p.amount_fen, p.cost_fen,
                    p.import_fp
            )
            INSERT INTO repair_order_lines (\(unsafeRaw: RowWriter.lineColumns.joined(separator: ", ")))
            SELECT \(bind: storeId), order_id, line_no, kind, code, name, quantity, amount_fen, cost_fen, import_fp
            FROM moved
            RETURNING repair_order_id
            """
        ).all()
        let ids = Set(try attached.map { try $0.int64("repair_order_id") })
        try await rows.sumLines(Array(ids), on: db)
        return Set(orders.lazy.filter { ids.contains($0.id) }.map(\.number))
    }

    /// Orders whose file gives no amounts take them from their lines when those changed here, as on SQLite:
    /// not the orders inserted here with their lines' sums (no line number repeated in the batch and no
    /// waiting lines joined them). A re-import, and a first one, then sums nothing.
    static func toSum(
        _ records: [RepairOrderImport], _ shape: BatchShape, written: WrittenOrders, attached: Set<String>,
        lines: [Int: RowWriter.Outcome]
    ) -> [String] {
        var numbers: Set<String> = []
        for (seq, record) in records.enumerated()
        where record.item != nil && record.laborFen == nil && record.partsFen == nil && record.totalFen == nil
            && lines[record.line] != nil
        {
            let summedAtInsert =
                written.outcomes[record.orderNo] == .inserted && shape.orders[shape.order[seq]].fromLines
                && !attached.contains(record.orderNo)
            if !summedAtInsert { numbers.insert(record.orderNo) }
        }
        return numbers.sorted()
    }

    /// Sums the lines of `numbers`' orders into them; an order whose sums are already right is not written.
    func sumLines(ofOrders numbers: [String], on db: any SQLDatabase) async throws {
        guard !numbers.isEmpty else { return }
        try await db.raw(
            """
            UPDATE repair_orders o SET labor_fen = t.labor, parts_fen = t.parts, total_fen = t.total, cost_fen = t.cost
            FROM (
                SELECT r.store_id, r.id,
                    COALESCE(SUM(l.amount_fen) FILTER (WHERE l.kind = \(bind: LineKind.labor.rawValue)), 0) AS labor,
                    COALESCE(SUM(l.amount_fen) FILTER (WHERE l.kind = \(bind: LineKind.part.rawValue)), 0) AS parts,
                    COALESCE(SUM(l.amount_fen), 0) AS total, COALESCE(SUM(l.cost_fen), 0) AS cost
                FROM unnest(\(bind: numbers)) AS n(order_no)
                JOIN repair_orders r ON r.store_id = \(bind: storeId) AND r.order_no = n.order_no COLLATE "C"
                LEFT JOIN repair_order_lines l ON l.store_id = r.store_id AND l.repair_order_id = r.id
                GROUP BY r.store_id, r.id
            ) t
            WHERE o.store_id = t.store_id AND o.id = t.id
                AND (o.labor_fen, o.parts_fen, o.total_fen, o.cost_fen) IS DISTINCT FROM (t.labor, t.parts, t.total, t.cost)
            """
        ).run()
    }
}
