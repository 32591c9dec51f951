import Foundation
import RevisitCore

/// Repair orders and their lines on SQLite's direct connection: the rules of `RowWriter.repairOrders`,
/// applied row by row on cached prepared statements. Repair orders are the volume kind (a store's
/// history is millions of lines); on SQLite a point lookup or an insert on a prepared statement costs a
/// microsecond or two, so per-row work is cheaper than building IN lists and multi-row statements.
struct SQLiteOrderWriter {
    typealias Order = (id: Int64, fingerprint: Int64?, source: Int64?)
    typealias Outcome = RowWriter.Outcome

    let storeId: Int64
    let today: String
    let millis: Int64
    let db: SQLiteReader.Connection

    init(_ writer: RowWriter, on db: SQLiteReader.Connection) {
        storeId = writer.storeId
        today = writer.today.description
        millis = writer.millis
        self.db = db
    }

    /// The batch's records, and its rows known unchanged without being read.
    func write(_ batch: ImportBatch, kind: ImportKind) throws -> ImportCounts {
        var counts = try write(batch.repairOrders, kind: kind)
        counts.unchanged += batch.unchangedRows
        return counts
    }

    func write(_ records: [RepairOrderImport], kind: ImportKind) throws -> ImportCounts {
        guard !records.isEmpty else { return ImportCounts() }
        let groups = OrderGroups(records)
        var orders = [Order?](repeating: nil, count: groups.count)
        try lookUp(
            """
            SELECT order_no, id, import_fp, import_src FROM repair_orders
            WHERE store_id = ? AND order_no IN \(Self.inList)
            """,
            distinct: groups.numbers
        ) { row in
            if let group = groups.index[try row.string(0)] {
                orders[group] = (try row.int(1), try row.optionalInt(2), try row.optionalInt(3))
            }
        }
        var orderOutcome = [Outcome?](repeating: nil, count: groups.count)
        // Orders whose lines may already be stored (existing ones, or new ones that took waiting lines).
        var storedLines = orders.map { $0 != nil }
        var summed = [Bool](repeating: false, count: groups.count)
        if kind == .repairOrders {
            // The row that stands for each order: its first, unless it continues an order already stored.
            var standing = [Int?](repeating: nil, count: groups.count)
            for position in records.indices {
                let group = groups.of[position]
                if standing[group] == nil, !records[position].continuesOrder || orders[group] == nil {
                    standing[group] = position
                }
            }
            // Orders new or changed; only theirs need customers, vehicles and advisors looked up (an
            // unchanged order's odometer reading counted when it was written).
            var changes: [(position: Int, fingerprint: Int64)] = []
            for position in standing.compactMap({ $0 }).sorted() {
                let fingerprint = Int64(bitPattern: records[position].fingerprint)
                let group = groups.of[position]
                if let current = orders[group], current.fingerprint == fingerprint {
                    orderOutcome[group] = .unchanged
                } else {
                    changes.append((position, fingerprint))
                }
            }
            var keys = try Keys(
                writer: self, customerNumbers: changes.lazy.compactMap { records[$0.position].customerNo },
                vins: changes.lazy.compactMap { records[$0.position].vin })
            let sums = Self.lineSums(records, groups)
            let insertOrder = try db.statement(Self.insertOrderSQL)
            var inserted: [Int] = []
            for (position, fingerprint) in changes {
                let record = records[position]
                let group = groups.of[position]
                if let current = orders[group] {
                    try update(current.id, record, fingerprint: fingerprint, keys: &keys)
                    orderOutcome[group] = .updated
                } else {
                    let id = try insert(
                        record, fingerprint: fingerprint, sums: sums[group], keys: &keys, statement: insertOrder)
                    orders[group] = (id, fingerprint, record.source)
                    orderOutcome[group] = .inserted
                    inserted.append(group)
                    summed[group] = sums[group] != nil
                }
            }
            for group in try attachPendingLines(inserted.map { (groups.numbers[$0], orders[$0]?.id) }).compactMap({
                groups.index[$0]
            }) {
                storedLines[group] = true
                summed[group] = false
            }
            try newestMileage(changes.lazy.map { records[$0.position] }, keys: &keys)
        }
        let lineOutcome = try lines(records, groups, orders: orders, storedLines: storedLines)
        if kind == .repairOrders {
            // Orders whose file gives no amounts take them from their lines, when those changed here (new
            // orders took the sums of their lines when inserted).
            var changed = [Bool](repeating: false, count: groups.count)
            for position in records.indices where lineOutcome[position].map({ $0 != .unchanged }) ?? false {
                changed[groups.of[position]] = true
            }
            var fromLines: Set<Int64> = []
            for position in records.indices {
                let group = groups.of[position]
                guard changed[group], !summed[group], let id = orders[group]?.id else { continue }
                let record = records[position]
                if record.item != nil && record.laborFen == nil && record.partsFen == nil && record.totalFen == nil {
                    fromLines.insert(id)
                }
            }
            let statement = try db.statement(Self.sumLinesSQL)
            for id in fromLines { try db.run(statement, [.int(storeId), .int(id), .int(storeId), .int(id)]) }
        }
        try keepSources(records, groups, orders: orders, outcomes: orderOutcome, lines: lineOutcome)
        return Self.count(records, groups, orders: orderOutcome, lines: lineOutcome)
    }

    /// `IN` over a JSON array bound as one text: one statement looks up a whole batch's keys.
    static let inList = "(SELECT value FROM json_each(?))"

    /// Runs a look-up whose last placeholder is `inList`, for the distinct `keys`.
    func lookUp(_ sql: String, _ keys: some Sequence<String>, _ each: (ScalarRow) throws -> Void) throws {
        try lookUp(sql, distinct: Array(Set(keys)), each)
    }

    func lookUp(_ sql: String, distinct keys: [String], _ each: (ScalarRow) throws -> Void) throws {
        guard !keys.isEmpty else { return }
        try db.rows(sql, [.int(storeId), .string(Self.jsonArray(keys))], each)
    }

    /// A JSON array of strings, escaped by hand: JSONEncoder took a twentieth of a batch's time.
    static func jsonArray(_ values: [String]) -> String {
        var json: [UInt8] = [UInt8(ascii: "[")]
        json.reserveCapacity(values.count * 20)
        for (index, value) in values.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    json.append(UInt8(ascii: "\\"))
                    json.append(byte)
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    json += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                default:
                    json.append(byte)
                }
            }
            json.append(UInt8(ascii: "\""))
        }
        json.append(UInt8(ascii: "]"))
        return String(decoding: json, as: UTF8.self)
    }

    struct Sums {
        var labor: Int64 = 0
        var parts: Int64 = 0
        var total: Int64 = 0
        var cost: Int64 = 0
    }

    /// Customer, vehicle and advisor ids by the keys the batch's orders name, looked up once per batch.
    struct Keys {
        let writer: SQLiteOrderWriter
        var customers: [String: Int64] = [:]
        var vehicles: [String: Int64] = [:]
        var advisors: [String: Int64?] = [:]

        init(writer: SQLiteOrderWriter, customerNumbers: some Sequence<String>, vins: some Sequence<String>) throws {
            self.writer = writer
            var customers: [String: Int64] = [:]
            // A store's history often comes before its customers and vehicles: then there is nothing to
            // look up (a tenth of such a load's writing went to finding nothing).
            let store: [SQLScalar] = [.int(writer.storeId)]
            let hasCustomers = try writer.single("SELECT 1 FROM customers WHERE store_id = ? LIMIT 1", store) != nil
            let hasVehicles = try writer.single("SELECT 1 FROM vehicles WHERE store_id = ? LIMIT 1", store) != nil
            if hasCustomers {
                try writer.lookUp(
                    """
                    SELECT customer_no, COALESCE(merged_into_id, id) FROM customers
                    WHERE store_id = ? AND customer_no IN \(SQLiteOrderWriter.inList)
                    """, customerNumbers
                ) { row in customers[try row.string(0)] = try row.int(1) }
            }
            var vehicles: [String: Int64] = [:]
            if hasVehicles {
                try writer.lookUp(
                    "SELECT vin, id FROM vehicles WHERE store_id = ? AND vin IN \(SQLiteOrderWriter.inList)", vins
                ) { row in vehicles[try row.string(0)] = try row.int(1) }
            }
            self.customers = customers
            self.vehicles = vehicles
        }

        func customer(_ number: String?) -> Int64? { number.flatMap { customers[$0] } }
        func vehicle(_ vin: String?) -> Int64? { vin.flatMap { vehicles[$0] } }

        /// A name the manager mapped, else a user of the store by that name.
        mutating func advisor(_ name: String?) throws -> Int64? {
            guard let name else { return nil }
            if let id = advisors[name] { return id }
            let binds: [SQLScalar] = [.int(writer.storeId), .string(name)]
            let id =
                try writer.single("SELECT user_id FROM advisor_aliases WHERE store_id = ? AND name = ?", binds)
                ?? writer.single(
                    "SELECT u.id FROM users u JOIN user_stores s ON s.user_id = u.id WHERE s.store_id = ? AND u.name = ?",
                    binds)
            advisors[name] = id
            return id
        }
    }

    func single(_ sql: String, _ binds: [SQLScalar]) throws -> Int64? {
        var found: Int64?
        try db.rows(sql, binds) { row in if found == nil { found = try row.optionalInt(0) } }
        return found
    }

    /// A new order; `sums` are its lines' when the file gives it no amounts.
    func insert(
        _ record: RepairOrderImport, fingerprint: Int64, sums: Sums?, keys: inout Keys,
        statement: SQLiteReader.Statement
    ) throws -> Int64 {
        let labor = sums?.labor ?? record.laborFen ?? 0
        let parts = sums?.parts ?? record.partsFen ?? 0
        try db.run(
            statement,
            [
                .int(storeId), .string(record.orderNo), .of(keys.vehicle(record.vin)),
                .of(keys.customer(record.customerNo)), .of(try keys.advisor(record.advisorName)),
                .string(record.advisorName ?? ""), .string((record.type ?? .other).rawValue),
                .string(record.openedOn?.description ?? today), .of(record.openedMinute.map { Int64($0) }),
                .of(record.closedOn?.description),
                .of(record.mileageIn.map { Int64($0) }), .int(labor), .int(parts),
                .int(sums?.total ?? record.totalFen ?? (labor + parts)), .int(sums?.cost ?? record.costFen ?? 0),
                .bool(record.internalComeback ?? false), .bool(record.externalComeback ?? false),
                .of(record.customerNo), .of(record.vin), .int(fingerprint), .of(record.source), .int(millis),
                .int(millis),
            ])
        return db.lastInsertId
    }

    static let insertOrderSQL = """
        INSERT INTO repair_orders (store_id, order_no, vehicle_id, customer_id, advisor_id, advisor_name, type,
            opened_on, opened_minute, closed_on, mileage_in, labor_fen, parts_fen, total_fen, cost_fen,
            internal_comeback, external_comeback, customer_no, vin_ref, import_fp, import_src, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The columns the file has; a blank leaves what is stored.
    func update(_ id: Int64, _ record: RepairOrderImport, fingerprint: Int64, keys: inout Keys) throws {
        var set = Assignments()
        set.set("opened_on", record.openedOn?.description)
        set.set("opened_minute", record.openedMinute.map { Int64($0) })
        set.set("closed_on", record.closedOn?.description)
        set.set("mileage_in", record.mileageIn.map { Int64($0) })
        set.set("type", record.type?.rawValue)
        if let number = record.customerNo {
            set.set("customer_no", number)
            set.set("customer_id", reference: keys.customer(number))
        }
        if let vin = record.vin {
            set.set("vin_ref", vin)
            set.set("vehicle_id", reference: keys.vehicle(vin))
        }
        if let name = record.advisorName {
            set.set("advisor_name", name)
            set.set("advisor_id", reference: try keys.advisor(name))
        }
        set.set("labor_fen", record.laborFen)
        set.set("parts_fen", record.partsFen)
        set.set("total_fen", record.totalFen)
        set.set("cost_fen", record.costFen)
        set.set("internal_comeback", record.internalComeback.map { Int64($0 ? 1 : 0) })
        set.set("external_comeback", record.externalComeback.map { Int64($0 ? 1 : 0) })
        set.set("import_fp", fingerprint)
        set.set("updated_at", millis)
        try db.run(
            "UPDATE repair_orders SET \(set.sql) WHERE store_id = ? AND id = ?", set.binds + [.int(storeId), .int(id)])
    }

    /// A `SET` list of `?` placeholders; nil values are left out unless they clear a reference.
    struct Assignments {
        var sql = ""
        var binds: [SQLScalar] = []

        mutating func set(_ column: String, _ value: String?) { value.map { add(column, .string($0)) } }
        mutating func set(_ column: String, _ value: Int64?) { value.map { add(column, .int($0)) } }
        mutating func set(_ column: String, reference value: Int64?) { add(column, .of(value)) }

        private mutating func add(_ column: String, _ value: SQLScalar) {
            sql += sql.isEmpty ? "\(column) = ?" : ", \(column) = ?"
            binds.append(value)
        }
    }

    /// A visit's odometer reading is its vehicle's latest mileage when newer than the one stored; a batch
    /// often holds several visits of one vehicle, so each vehicle is written once.
    func newestMileage(_ orders: some Sequence<RepairOrderImport>, keys: inout Keys) throws {
        var newest: [Int64: (km: Int64, day: String)] = [:]
        for order in orders {
            guard let mileage = order.mileageIn, let day = (order.closedOn ?? order.openedOn)?.description,
                let vehicle = keys.vehicle(order.vin)
            else { continue }
            if newest[vehicle].map({ $0.day < day }) ?? true { newest[vehicle] = (Int64(mileage), day) }
        }
        for (vehicle, reading) in newest {
            try db.run(
                """
                UPDATE vehicles SET mileage_km = ?, mileage_read_on = ? WHERE store_id = ? AND id = ?
                AND (mileage_read_on IS NULL OR mileage_read_on < ?)
                """, [.int(reading.km), .string(reading.day), .int(storeId), .int(vehicle), .string(reading.day)])
        }
    }

    /// Labor, parts, total and cost of an order from its lines, in one pass over them.
    static let sumLinesSQL = """
        UPDATE repair_orders SET (labor_fen, parts_fen, total_fen, cost_fen) = (
            SELECT COALESCE(SUM(CASE WHEN kind = 'labor' THEN amount_fen END), 0),
                   COALESCE(SUM(CASE WHEN kind = 'part' THEN amount_fen END), 0),
                   COALESCE(SUM(amount_fen), 0), COALESCE(SUM(cost_fen), 0)
            FROM repair_order_lines WHERE store_id = ? AND repair_order_id = ?)
        WHERE store_id = ? AND id = ?
        """
}
