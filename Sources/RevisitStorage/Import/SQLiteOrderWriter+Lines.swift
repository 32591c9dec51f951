import Foundation
import RevisitCore

extension SQLiteOrderWriter {
    struct LineKey: Hashable {
        let order: Int64
        let line: Int
    }

    struct PendingKey: Hashable {
        let order: String
        let line: Int
    }

    /// The batch's lines; returns each row's outcome by its file line. Lines of orders not known yet
    /// wait in `import_pending_lines`.
    func lines(
        _ records: [RepairOrderImport], orders: [String: Order], storedLines: Set<Int64>
    ) throws -> [Int: Outcome] {
        var outcomes: [Int: Outcome] = [:]
        let insertLine = try db.statement(
            """
            INSERT INTO repair_order_lines (store_id, repair_order_id, line_no, kind, code, name, quantity,
                amount_fen, cost_fen, import_fp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Fingerprints stored (nil when the line was written outside an import), as known so far; the
        // lines of orders that may have some are read for the whole batch at once.
        var known: [LineKey: Int64?] = [:]
        let withLines = Set(records.compactMap { orders[$0.orderNo]?.id }).intersection(storedLines)
        if !withLines.isEmpty {
            try db.rows(
                """
                SELECT repair_order_id, line_no, import_fp FROM repair_order_lines
                WHERE store_id = ? AND repair_order_id IN (SELECT value FROM json_each(?))
                """, [.int(storeId), .string("[" + withLines.map(String.init).joined(separator: ",") + "]")]
            ) { row in known[LineKey(order: try row.int(0), line: Int(try row.int(1)))] = .some(try row.optionalInt(2))
            }
        }
        var pending: [PendingKey: Int64?] = [:]
        for record in records {
            guard let item = record.item, let lineNo = item.lineNo else { continue }
            let fingerprint = Int64(bitPattern: item.fingerprint)
            guard let order = orders[record.orderNo] else {
                let key = PendingKey(order: record.orderNo, line: lineNo)
                let stored = try pending[key] ?? waiting(key)
                if stored == fingerprint {
                    outcomes[record.line] = .unchanged
                    continue
                }
                if stored != nil {
                    try db.run(
                        "DELETE FROM import_pending_lines WHERE store_id = ? AND order_no = ? AND line_no = ?",
                        [.int(storeId), .string(key.order), .int(Int64(lineNo))])
                }
                try db.run(
                    """
                    INSERT INTO import_pending_lines (store_id, order_no, line_no, kind, code, name, quantity,
                        amount_fen, cost_fen, import_fp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, values(item, lineNo: lineNo, fingerprint, leading: [.int(storeId), .string(record.orderNo)]))
                pending[key] = .some(fingerprint)
                outcomes[record.line] = .inserted
                continue
            }
            let key = LineKey(order: order.id, line: lineNo)
            let stored = known[key]
            switch stored {
            case .none:
                try db.run(
                    insertLine, values(item, lineNo: lineNo, fingerprint, leading: [.int(storeId), .int(order.id)]))
                outcomes[record.line] = .inserted
            case .some(let current) where current == fingerprint:
                outcomes[record.line] = .unchanged
            case .some:
                try db.run(
                    """
                    UPDATE repair_order_lines SET kind = ?, code = ?, name = ?, quantity = ?, amount_fen = ?,
                        cost_fen = ?, import_fp = ? WHERE store_id = ? AND repair_order_id = ? AND line_no = ?
                    """,
                    Array(values(item, lineNo: lineNo, fingerprint).dropFirst())
                        + [.int(storeId), .int(order.id), .int(Int64(lineNo))])
                outcomes[record.line] = .updated
            }
            known[key] = .some(fingerprint)
        }
        return outcomes
    }

    /// `leading`, then line number, kind, code, name, quantity, amount, cost and fingerprint.
    func values(_ item: LineImport, lineNo: Int, _ fingerprint: Int64, leading: [SQLScalar] = []) -> [SQLScalar] {
        var values = leading
        values.reserveCapacity(leading.count + 8)
        values += [
            .int(Int64(lineNo)), .string(item.kind.rawValue), .string(item.code), .string(item.name),
            .double(item.quantity), .int(item.amountFen), .int(item.costFen), .int(fingerprint),
        ]
        return values
    }

    func waiting(_ key: PendingKey) throws -> Int64?? {
        var found: Int64??
        try db.rows(
            "SELECT import_fp FROM import_pending_lines WHERE store_id = ? AND order_no = ? AND line_no = ?",
            [.int(storeId), .string(key.order), .int(Int64(key.line))]
        ) { row in found = .some(try row.optionalInt(0)) }
        return found
    }

    /// Lines that arrived before their order (a `lines` file loaded first) join it now; returns the
    /// orders that took some.
    func attachPendingLines(
        _ numbers: [String], orders: [String: Order]
    ) throws -> (ids: Set<Int64>, numbers: Set<String>) {
        var attached: (ids: Set<Int64>, numbers: Set<String>) = ([], [])
        guard !numbers.isEmpty,
            try single("SELECT 1 FROM import_pending_lines WHERE store_id = ? LIMIT 1", [.int(storeId)]) != nil
        else { return attached }
        for number in numbers {
            guard let order = orders[number] else { continue }
            try db.run(
                """
                INSERT INTO repair_order_lines (store_id, repair_order_id, line_no, kind, code, name, quantity,
                    amount_fen, cost_fen, import_fp)
                SELECT store_id, ?, line_no, kind, code, name, quantity, amount_fen, cost_fen, import_fp
                FROM import_pending_lines WHERE store_id = ? AND order_no = ?
                """, [.int(order.id), .int(storeId), .string(number)])
            guard db.changes > 0 else { continue }
            try db.run(
                "DELETE FROM import_pending_lines WHERE store_id = ? AND order_no = ?",
                [.int(storeId), .string(number)])
            try db.run(Self.sumLinesSQL, [.int(storeId), .int(order.id), .int(storeId), .int(order.id)])
            attached.ids.insert(order.id)
            attached.numbers.insert(number)
        }
        return attached
    }
}
