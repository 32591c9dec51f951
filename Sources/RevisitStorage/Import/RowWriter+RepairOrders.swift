import Foundation
import RevisitCore
import SQLKit

extension RowWriter {
    /// Repair orders and, when the file carries them, their lines. In a flattened file an order repeats on
    /// each of its lines with the same order fields; the first row of an order in the batch stands for it.
    /// A row counts as inserted or updated when its order or its line was; a `lines` file creates no
    /// orders: a line whose order is not known yet waits for it.
    func repairOrders(
        _ records: [RepairOrderImport], kind: ImportKind, on db: any SQLDatabase
    ) async throws
        -> ImportCounts
    {
        guard !records.isEmpty else { return ImportCounts() }
        let numbers = Array(Set(records.map(\.orderNo)))
        var orders = try await existingOrders(numbers, on: db)
        var orderOutcome: [String: Outcome] = [:]
        if kind == .repairOrders {
            // An order's fields come from its first row in the file; a later row (in a later batch) only
            // stands for it when the order does not exist yet (its first row was rejected).
            var firstOfOrder: [String: RepairOrderImport] = [:]
            for record in records where firstOfOrder[record.orderNo] == nil {
                if !record.continuesOrder || orders[record.orderNo] == nil { firstOfOrder[record.orderNo] = record }
            }
            let customers = try await customerIds(records.compactMap(\.customerNo), on: db)
            let vehicles = try await vehicleIds(records.compactMap(\.vin), on: db)
            let advisors = try await advisorIds(records.compactMap(\.advisorName), on: db)
            var inserts: [RepairOrderImport] = []
            for (number, record) in firstOfOrder {
                let fingerprint = Int64(bitPattern: record.fingerprint)
                guard let current = orders[number] else {
                    inserts.append(record)
                    orderOutcome[number] = .inserted
                    continue
                }
                if current.fingerprint == fingerprint {
                    orderOutcome[number] = .unchanged
                    continue
                }
                try await updateOrder(
                    current.id, record, fingerprint: fingerprint, customers: customers, vehicles: vehicles,
                    advisors: advisors, on: db)
                orderOutcome[number] = .updated
            }
            try await BulkInsert.rows(
                "repair_orders",
                columns: [
                    "store_id", "order_no", "vehicle_id", "customer_id", "advisor_id", "advisor_name", "type",
                    "opened_on", "opened_minute", "closed_on", "mileage_in", "labor_fen", "parts_fen", "total_fen",
                    "cost_fen",
                    "internal_comeback", "external_comeback", "customer_no", "vin_ref", "import_fp", "created_at",
                    "updated_at",
                ],
                inserts.sorted { $0.line < $1.line }.map { record in
                    [
                        storeId, record.orderNo, record.vin.flatMap { vehicles[$0] },
                        record.customerNo.flatMap { customers[$0] }, record.advisorName.flatMap { advisors[$0] },
                        record.advisorName ?? "", (record.type ?? .other).rawValue,
                        (record.openedOn ?? today).description, record.openedMinute.map { Int64($0) },
                        record.closedOn?.description,
                        record.mileageIn.map { Int64($0) }, record.laborFen ?? 0, record.partsFen ?? 0,
                        record.totalFen ?? ((record.laborFen ?? 0) + (record.partsFen ?? 0)), record.costFen ?? 0,
                        (record.internalComeback ?? false).sqlInt, (record.externalComeback ?? false).sqlInt,
                        record.customerNo, record.vin, Int64(bitPattern: record.fingerprint), millis, millis,
                    ]
                }, on: db)
            if !inserts.isEmpty {
                orders = try await existingOrders(numbers, on: db)
                try await attachPendingLines(inserts.map(\.orderNo), orders: orders, on: db)
            }
            try await updateMileage(firstOfOrder.values, vehicles: vehicles, on: db)
        }
        let lineOutcome = try await lines(records, orders: orders, on: db)
        if kind == .repairOrders {
            // Orders whose file gives no amounts take them from their lines.
            let fromLines = Set(
                records.filter { $0.item != nil && $0.laborFen == nil && $0.partsFen == nil && $0.totalFen == nil }
                    .compactMap { orders[$0.orderNo]?.id })
            try await sumLines(Array(fromLines), on: db)
        }
        return Self.count(records, orders: orderOutcome, lines: lineOutcome)
    }

    /// A row counts as inserted or updated when its line was, or its order was (once, on the order's first
    /// row in the batch).
    static func count(_ records: [RepairOrderImport], orders: [String: Outcome], lines: [Int: Outcome]) -> ImportCounts
    {
        var counts = ImportCounts()
        var countedOrders: Set<String> = []
        for record in records {
            var outcome = lines[record.line] ?? .unchanged
            if countedOrders.insert(record.orderNo).inserted, let order = orders[record.orderNo] {
                outcome = max(outcome, order)
            }
            switch outcome {
            case .inserted: counts.inserted += 1
            case .updated: counts.updated += 1
            case .unchanged: counts.unchanged += 1
            }
        }
        return counts
    }

    enum Outcome: Int, Comparable {
        case unchanged, updated, inserted
        static func < (lhs: Outcome, rhs: Outcome) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    func existingOrders(
        _ numbers: [String], on db: any SQLDatabase
    ) async throws
        -> [String: (id: Int64, fingerprint: Int64?)]
    {
        guard !numbers.isEmpty else { return [:] }
        var orders: [String: (id: Int64, fingerprint: Int64?)] = [:]
        for row in try await db.raw(
            """
            SELECT id, order_no, import_fp FROM repair_orders
            WHERE store_id = \(bind: storeId) AND order_no IN (\(binds: numbers))
            """
        ).all() {
            orders[try row.string("order_no")] = (try row.int64("id"), try row.optionalInt64("import_fp"))
        }
        return orders
    }

    func vehicleIds(_ vins: [String], on db: any SQLDatabase) async throws -> [String: Int64] {
        let vins = Array(Set(vins))
        guard !vins.isEmpty else { return [:] }
        var ids: [String: Int64] = [:]
        for row in try await db.raw(
            "SELECT id, vin FROM vehicles WHERE store_id = \(bind: storeId) AND vin IN (\(binds: vins))"
        ).all() {
            ids[try row.string("vin")] = try row.int64("id")
        }
        return ids
    }

    /// Advisors by the name the DMS writes: a name the manager mapped, else a user of the store by that
    /// name. Names that match nobody are kept on the order for the manager to map later.
    func advisorIds(_ names: [String], on db: any SQLDatabase) async throws -> [String: Int64] {
        let names = Array(Set(names))
        guard !names.isEmpty else { return [:] }
        var ids: [String: Int64] = [:]
        for row in try await db.raw(
            """
            SELECT u.id, u.name FROM users u JOIN user_stores s ON s.user_id = u.id
            WHERE s.store_id = \(bind: storeId) AND u.name IN (\(binds: names))
            """
        ).all() {
            ids[try row.string("name")] = try row.int64("id")
        }
        for row in try await db.raw(
            "SELECT name, user_id FROM advisor_aliases WHERE store_id = \(bind: storeId) AND name IN (\(binds: names))"
        ).all() {
            ids[try row.string("name")] = try row.int64("user_id")
        }
        return ids
    }

    func updateOrder(
        _ id: Int64, _ record: RepairOrderImport, fingerprint: Int64, customers: [String: Int64],
        vehicles: [String: Int64], advisors: [String: Int64], on db: any SQLDatabase
    ) async throws {
        var set = Assignments()
        set.set("opened_on", record.openedOn?.description)
        set.set("opened_minute", record.openedMinute.map { Int64($0) })
        set.set("closed_on", record.closedOn?.description)
        set.set("mileage_in", record.mileageIn.map { Int64($0) })
        set.set("type", record.type?.rawValue)
        if let number = record.customerNo {
            set.set("customer_no", number)
            set.set("customer_id", reference: customers[number])
        }
        if let vin = record.vin {
            set.set("vin_ref", vin)
            set.set("vehicle_id", reference: vehicles[vin])
        }
        if let name = record.advisorName {
            set.set("advisor_name", name)
            set.set("advisor_id", reference: advisors[name])
        }
        set.set("labor_fen", record.laborFen)
        set.set("parts_fen", record.partsFen)
        set.set("total_fen", record.totalFen)
        set.set("cost_fen", record.costFen)
        set.set("internal_comeback", record.internalComeback?.sqlInt)
        set.set("external_comeback", record.externalComeback?.sqlInt)
        set.set("import_fp", fingerprint)
        set.set("updated_at", millis)
        try await db.raw(
            "UPDATE repair_orders SET " + set.sql + " WHERE store_id = \(bind: storeId) AND id = \(bind: id)"
        ).run()
    }

    /// The lines of the batch's rows; returns each row's outcome by its file line.
    func lines(
        _ records: [RepairOrderImport], orders: [String: (id: Int64, fingerprint: Int64?)], on db: any SQLDatabase
    ) async throws -> [Int: Outcome] {
        let withLines = records.filter { $0.item != nil }
        guard !withLines.isEmpty else { return [:] }
        let orderIds = Array(Set(withLines.compactMap { orders[$0.orderNo]?.id }))
        var existing: [String: Int64?] = [:]
        if !orderIds.isEmpty {
            for row in try await db.raw(
                """
                SELECT repair_order_id, line_no, import_fp FROM repair_order_lines
                WHERE store_id = \(bind: storeId) AND repair_order_id IN (\(binds: orderIds))
                """
            ).all() {
                existing["\(try row.int64("repair_order_id"))#\(try row.int64("line_no"))"] = try row.optionalInt64(
                    "import_fp")
            }
        }
        var pendingNumbers: [String] = []
        for record in withLines where orders[record.orderNo] == nil { pendingNumbers.append(record.orderNo) }
        var pending: [String: Int64] = [:]
        if !pendingNumbers.isEmpty {
            for row in try await db.raw(
                """
                SELECT order_no, line_no, import_fp FROM import_pending_lines
                WHERE store_id = \(bind: storeId) AND order_no IN (\(binds: Array(Set(pendingNumbers))))
                """
            ).all() {
                pending["\(try row.string("order_no"))#\(try row.int64("line_no"))"] = try row.int64("import_fp")
            }
        }
        var outcomes: [Int: Outcome] = [:]
        var inserts: [[BulkInsert.Value]] = []
        var waiting: [[BulkInsert.Value]] = []
        for record in withLines {
            guard let item = record.item, let lineNo = item.lineNo else { continue }
            let fingerprint = Int64(bitPattern: item.fingerprint)
            guard let order = orders[record.orderNo] else {
                let key = "\(record.orderNo)#\(lineNo)"
                if pending[key] == fingerprint {
                    outcomes[record.line] = .unchanged
                    continue
                }
                if pending[key] != nil {
                    try await db.raw(
                        "DELETE FROM import_pending_lines WHERE store_id = \(bind: storeId) AND order_no = \(bind: record.orderNo) AND line_no = \(bind: Int64(lineNo))"
                    ).run()
                }
                waiting.append([
                    storeId, record.orderNo, Int64(lineNo), item.kind.rawValue, item.code, item.name, item.quantity,
                    item.amountFen, item.costFen, fingerprint,
                ])
                pending[key] = fingerprint
                outcomes[record.line] = .inserted
                continue
            }
            switch existing["\(order.id)#\(lineNo)"] {
            case .none:
                inserts.append([
                    storeId, order.id, Int64(lineNo), item.kind.rawValue, item.code, item.name, item.quantity,
                    item.amountFen, item.costFen, fingerprint,
                ])
                existing["\(order.id)#\(lineNo)"] = fingerprint
                outcomes[record.line] = .inserted
            case .some(let stored) where stored == fingerprint:
                outcomes[record.line] = .unchanged
            case .some:
                try await db.raw(
                    """
                    UPDATE repair_order_lines SET kind = \(bind: item.kind.rawValue), code = \(bind: item.code),
                        name = \(bind: item.name), quantity = \(bind: item.quantity), amount_fen = \(bind: item.amountFen),
                        cost_fen = \(bind: item.costFen), import_fp = \(bind: fingerprint)
                    WHERE store_id = \(bind: storeId) AND repair_order_id = \(bind: order.id) AND line_no = \(bind: Int64(lineNo))
                    """
                ).run()
                existing["\(order.id)#\(lineNo)"] = fingerprint
                outcomes[record.line] = .updated
            }
        }
        try await BulkInsert.rows("repair_order_lines", columns: Self.lineColumns, inserts, on: db)
        try await BulkInsert.rows(
            "import_pending_lines",
            columns: [
                "store_id", "order_no", "line_no", "kind", "code", "name", "quantity", "amount_fen", "cost_fen",
                "import_fp",
            ], waiting, on: db)
        return outcomes
    }

    static let lineColumns = [
        "store_id", "repair_order_id", "line_no", "kind", "code", "name", "quantity", "amount_fen", "cost_fen",
        "import_fp",
    ]

    /// Lines that arrived before their order (a `lines` file loaded first) join it now.
    func attachPendingLines(
        _ numbers: [String], orders: [String: (id: Int64, fingerprint: Int64?)], on db: any SQLDatabase
    ) async throws {
        guard !numbers.isEmpty else { return }
        let rows = try await db.raw(
            """
            SELECT * FROM import_pending_lines WHERE store_id = \(bind: storeId) AND order_no IN (\(binds: numbers))
            """
        ).all()
        guard !rows.isEmpty else { return }
        var lines: [[BulkInsert.Value]] = []
        for row in rows {
            guard let order = orders[try row.string("order_no")] else { continue }
            lines.append([
                storeId, order.id, try row.int64("line_no"), try row.string("kind"), try row.string("code"),
                try row.string("name"), try row.decode(column: "quantity", as: Double.self),
                try row.int64("amount_fen"), try row.int64("cost_fen"), try row.int64("import_fp"),
            ])
        }
        let ids = lines.compactMap { $0[1] as? Int64 }
        try await BulkInsert.rows("repair_order_lines", columns: Self.lineColumns, lines, on: db)
        try await db.raw(
            "DELETE FROM import_pending_lines WHERE store_id = \(bind: storeId) AND order_no IN (\(binds: numbers))"
        ).run()
        try await sumLines(Array(Set(ids)), on: db)
    }

    /// Labor, parts, total and cost of orders from their lines.
    func sumLines(_ orderIds: [Int64], on db: any SQLDatabase) async throws {
        guard !orderIds.isEmpty else { return }
        try await db.raw(
            """
            UPDATE repair_orders SET
                labor_fen = COALESCE((SELECT SUM(l.amount_fen) FROM repair_order_lines l WHERE l.store_id = repair_orders.store_id
                    AND l.repair_order_id = repair_orders.id AND l.kind = 'labor'), 0),
                parts_fen = COALESCE((SELECT SUM(l.amount_fen) FROM repair_order_lines l WHERE l.store_id = repair_orders.store_id
                    AND l.repair_order_id = repair_orders.id AND l.kind = 'part'), 0),
                total_fen = COALESCE((SELECT SUM(l.amount_fen) FROM repair_order_lines l WHERE l.store_id = repair_orders.store_id
                    AND l.repair_order_id = repair_orders.id), 0),
                cost_fen = COALESCE((SELECT SUM(l.cost_fen) FROM repair_order_lines l WHERE l.store_id = repair_orders.store_id
                    AND l.repair_order_id = repair_orders.id), 0)
            WHERE store_id = \(bind: storeId) AND id IN (\(binds: orderIds))
            """
        ).run()
    }

    /// A visit's odometer reading is the vehicle's latest mileage when it is newer than what is known.
    func updateMileage(
        _ orders: some Sequence<RepairOrderImport>, vehicles: [String: Int64], on db: any SQLDatabase
    ) async throws {
        let readings: [(Int64, Int64, String)] = orders.compactMap { order in
            guard let vin = order.vin, let vehicle = vehicles[vin], let mileage = order.mileageIn,
                let day = order.closedOn ?? order.openedOn
            else { return nil }
            return (vehicle, Int64(mileage), day.description)
        }
        try await newestMileage(readings, on: db)
    }

    /// Writes each vehicle's newest reading once (a batch often holds several visits of one vehicle),
    /// and only where it is newer than the one stored.
    func newestMileage(_ readings: [(vehicle: Int64, km: Int64, day: String)], on db: any SQLDatabase) async throws {
        var newest: [Int64: (km: Int64, day: String)] = [:]
        for reading in readings where newest[reading.vehicle].map({ $0.day < reading.day }) ?? true {
            newest[reading.vehicle] = (reading.km, reading.day)
        }
        for (vehicle, reading) in newest {
            try await db.raw(
                """
                UPDATE vehicles SET mileage_km = \(bind: reading.km), mileage_read_on = \(bind: reading.day)
                WHERE store_id = \(bind: storeId) AND id = \(bind: vehicle)
                AND (mileage_read_on IS NULL OR mileage_read_on < \(bind: reading.day))
                """
            ).run()
        }
    }
}
