import Foundation
import RevisitCore

extension SQLiteOrderWriter {
    struct PendingKey: Hashable {
        let order: String
        let line: Int
    }

    /// The batch's lines; returns each row's outcome by its position. Lines of orders not known yet wait
    /// in `import_pending_lines`.
    func lines(
        _ records: [RepairOrderImport], _ groups: OrderGroups, orders: [Order?], storedLines: [Bool]
    ) throws -> [Outcome?] {
        var outcomes = [Outcome?](repeating: nil, count: records.count)
        var inserts = try LineInserts(db)
        // Each order's lines with their fingerprints (nil when written outside an import), as known so far:
        // a handful per order, so a short list each. Orders that may have some stored are read at once.
        var known = [[(line: Int, fingerprint: Int64?)]](repeating: [], count: groups.count)
        var withLines: [Int64: Int] = [:]
        for group in 0..<groups.count where storedLines[group] {
            if let id = orders[group]?.id { withLines[id] = group }
        }
        if !withLines.isEmpty {
            try db.scan(
                """
                SELECT repair_order_id, line_no, import_fp FROM repair_order_lines
                WHERE store_id = ? AND repair_order_id IN (SELECT value FROM json_each(?))
                """, [.int(storeId), .string("[" + withLines.keys.map(String.init).joined(separator: ",") + "]")]
            ) { row in
                guard let group = withLines[row.int64(0)] else { return }
                known[group].append((Int(row.int64(1)), row.isNull(2) ? nil : row.int64(2)))
            }
        }
        var pending: [PendingKey: Int64?] = [:]
        for position in records.indices {
            guard let item = records[position].item, let lineNo = item.lineNo else { continue }
            let fingerprint = Int64(bitPattern: item.fingerprint)
            let group = groups.of[position]
            guard let order = orders[group] else {
                outcomes[position] = try waitForOrder(groups.numbers[group], item, lineNo, fingerprint, &pending)
                continue
            }
            guard let slot = known[group].firstIndex(where: { $0.line == lineNo }) else {
                try inserts.add { values in
                    values.append(.int(storeId))
                    values.append(.int(order.id))
                    append(item, lineNo: lineNo, fingerprint, to: &values)
                }
                outcomes[position] = .inserted
                known[group].append((lineNo, fingerprint))
                continue
            }
            if known[group][slot].fingerprint == fingerprint {
                outcomes[position] = .unchanged
                continue
            }
            // The line may be one inserted above and still waiting in `inserts`.
            try inserts.flush()
            try db.run(
                """
                UPDATE repair_order_lines SET kind = ?, code = ?, name = ?, quantity = ?, amount_fen = ?,
                    cost_fen = ?, import_fp = ? WHERE store_id = ? AND repair_order_id = ? AND line_no = ?
                """,
                Array(values(item, lineNo: lineNo, fingerprint).dropFirst())
                    + [.int(storeId), .int(order.id), .int(Int64(lineNo))])
            outcomes[position] = .updated
            known[group][slot].fingerprint = fingerprint
        }
        try inserts.flush()
        return outcomes
    }

    /// New lines, inserted `rows` to a statement: the work of running a statement (binding, stepping,
    /// resetting) is then shared by 32 lines instead of paid by each.
    struct LineInserts {
        static let rows = 32
        static let columns = """
            INSERT INTO repair_order_lines (store_id, repair_order_id, line_no, kind, code, name, quantity,
                amount_fen, cost_fen, import_fp) VALUES
            """
        /// One line's ten values in the statement.
        static let lineValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        let db: SQLiteReader.Connection
        let one: SQLiteReader.Statement
        let many: SQLiteReader.Statement
        private var values: [SQLScalar] = []
        private var count = 0

        init(_ db: SQLiteReader.Connection) throws {
            self.db = db
            one = try db.statement(Self.columns + " " + Self.lineValues)
            many = try db.statement(
                Self.columns + " " + Array(repeating: Self.lineValues, count: Self.rows).joined(separator: ", "))
            values.reserveCapacity(Self.rows * 10)
        }

        /// Adds a line's ten values (store, order, then as `append` gives them).
        mutating func add(_ line: (inout [SQLScalar]) -> Void) throws {
            line(&values)
            count += 1
            if count == Self.rows {
                try db.run(many, values)
                values.removeAll(keepingCapacity: true)
                count = 0
            }
        }

        /// Writes the lines still waiting, one statement each.
        mutating func flush() throws {
            guard count > 0 else { return }
            for row in 0..<count { try db.run(one, Array(values[(row * 10)..<(row * 10 + 10)])) }
            values.removeAll(keepingCapacity: true)
            count = 0
        }
    }

    /// A line whose order is not known yet waits for it (replacing what waited under its key).
    func waitForOrder(
        _ number: String, _ item: LineImport, _ lineNo: Int, _ fingerprint: Int64,
        _ pending: inout [PendingKey: Int64?]
    ) throws -> Outcome {
        let key = PendingKey(order: number, line: lineNo)
        let stored = try pending[key] ?? waiting(key)
        if stored == fingerprint { return .unchanged }
        if stored != nil {
            try db.run(
                "DELETE FROM import_pending_lines WHERE store_id = ? AND order_no = ? AND line_no = ?",
                [.int(storeId), .string(key.order), .int(Int64(lineNo))])
        }
        try db.run(
            """
            INSERT INTO import_pending_lines (store_id, order_no, line_no, kind, code, name, quantity,
                amount_fen, cost_fen, import_fp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, values(item, lineNo: lineNo, fingerprint, leading: [.int(storeId), .string(number)]))
        pending[key] = .some(fingerprint)
        return .inserted
    }

    /// `leading`, then line number, kind, code, name, quantity, amount, cost and fingerprint.
    func values(_ item: LineImport, lineNo: Int, _ fingerprint: Int64, leading: [SQLScalar] = []) -> [SQLScalar] {
        var values = leading
        values.reserveCapacity(leading.count + 8)
        append(item, lineNo: lineNo, fingerprint, to: &values)
        return values
    }

    func append(_ item: LineImport, lineNo: Int, _ fingerprint: Int64, to values: inout [SQLScalar]) {
        values.append(.int(Int64(lineNo)))
        values.append(.string(item.kind.rawValue))
        values.append(.string(item.code))
        values.append(.string(item.name))
        values.append(.double(item.quantity))
        values.append(.int(item.amountFen))
        values.append(.int(item.costFen))
        values.append(.int(fingerprint))
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
    /// numbers of the orders that took some.
    func attachPendingLines(_ orders: [(number: String, id: Int64?)]) throws -> [String] {
        var attached: [String] = []
        guard !orders.isEmpty,
            try single("SELECT 1 FROM import_pending_lines WHERE store_id = ? LIMIT 1", [.int(storeId)]) != nil
        else { return attached }
        for (number, id) in orders {
            guard let id else { continue }
            try db.run(
                """
                INSERT INTO repair_order_lines (store_id, repair_order_id, line_no, kind, code, name, quantity,
                    amount_fen, cost_fen, import_fp)
                SELECT store_id, ?, line_no, kind, code, name, quantity, amount_fen, cost_fen, import_fp
                FROM import_pending_lines WHERE store_id = ? AND order_no = ?
                """, [.int(id), .int(storeId), .string(number)])
            guard db.changes > 0 else { continue }
            try db.run(
                "DELETE FROM import_pending_lines WHERE store_id = ? AND order_no = ?",
                [.int(storeId), .string(number)])
            try db.run(Self.sumLinesSQL, [.int(storeId), .int(id), .int(storeId), .int(id)])
            attached.append(number)
        }
        return attached
    }
}
