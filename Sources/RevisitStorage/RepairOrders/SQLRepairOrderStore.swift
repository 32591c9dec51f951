import Foundation
import RevisitCore
import SQLKit

/// Repair orders with their lines on either engine.
public struct SQLRepairOrderStore: RepairOrderStore {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    public func repairOrders(_ query: RepairOrderQuery, scope: Scope) async throws -> Page<RepairOrder> {
        let limit = max(1, min(query.limit, 200))
        let collate = database.bytewise
        return try await database.withConnection { db in
            var sql: SQLQueryString = Self.select + " WHERE " + scope.storeFilter("r.store_id")
            if let storeId = query.storeId { sql += " AND r.store_id = \(bind: storeId)" }
            if let customerId = query.customerId { sql += " AND r.customer_id = \(bind: customerId)" }
            if let vehicleId = query.vehicleId { sql += " AND r.vehicle_id = \(bind: vehicleId)" }
            if let type = query.type { sql += " AND r.type = \(bind: type.rawValue)" }
            if let from = query.from { sql += " AND r.opened_on >= \(bind: from.description)" }
            if let until = query.until { sql += " AND r.opened_on <= \(bind: until.description)" }
            let q = query.q.trimmingCharacters(in: .whitespaces)
            if !q.isEmpty {
                let key = Plate.normalize(q)
                sql +=
                    " AND ((r.order_no \(unsafeRaw: collate) >= \(bind: q) AND r.order_no \(unsafeRaw: collate) < \(bind: q + prefixRangeEnd))"
                    + " OR r.vehicle_id IN (SELECT v.id FROM vehicles v WHERE v.store_id = r.store_id AND (v.vin = \(bind: key) OR v.plate = \(bind: key))))"
            }
            if let cursor = query.cursor {
                let values = try Cursor.decode(cursor, count: 2)
                guard let lastId = Int64(values[1]) else {
                    throw RevisitError(.badRequest, code: .invalidCursor, field: "cursor")
                }
                sql +=
                    " AND (r.opened_on < \(bind: values[0]) OR (r.opened_on = \(bind: values[0]) AND r.id < \(bind: lastId)))"
            }
            sql += " ORDER BY r.opened_on DESC, r.id DESC LIMIT \(bind: Int64(limit + 1))"
            let rows = try await db.raw(sql).all()
            let orders = try await Self.withLines(Array(rows.prefix(limit)), on: db)
            let next =
                rows.count > limit ? orders.last.map { Cursor.encode([$0.openedOn.description, String($0.id)]) } : nil
            return Page(items: orders, nextCursor: next)
        }
    }

    public func repairOrder(id: Int64, scope: Scope) async throws -> RepairOrder {
        try await database.withConnection { db in
            let rows = try await db.raw(
                Self.select + " WHERE r.id = \(bind: id) AND " + scope.storeFilter("r.store_id")
            ).all()
            guard let order = try await Self.withLines(rows, on: db).first else { throw RevisitError.notFound() }
            return order
        }
    }

    public func createRepairOrder(storeId: Int64, _ draft: RepairOrderDraft, scope: Scope) async throws -> RepairOrder {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        let draft = try draft.validated()
        let at = now()
        let id: Int64
        do {
            id = try await database.transaction { db in
                try await Self.checkLinks(draft, storeId: storeId, on: db)
                let row = try await db.raw(
                    """
                    INSERT INTO repair_orders (store_id, order_no, vehicle_id, customer_id, advisor_id, advisor_name, type,
                        opened_on, closed_on, mileage_in, labor_fen, parts_fen, total_fen, cost_fen, internal_comeback,
                        external_comeback, created_at, updated_at)
                    VALUES (\(bind: storeId), \(bind: draft.orderNo), \(bind: draft.vehicleId), \(bind: draft.customerId),
                        \(bind: draft.advisorId), \(bind: draft.advisorName), \(bind: draft.type.rawValue),
                        \(bind: draft.openedOn.description), \(bind: draft.closedOn?.description),
                        \(bind: draft.mileageIn.map(Int64.init)), \(bind: draft.laborFen), \(bind: draft.partsFen),
                        \(bind: draft.computedTotalFen), \(bind: draft.computedCostFen), \(bind: draft.internalComeback.sqlInt),
                        \(bind: draft.externalComeback.sqlInt), \(bind: at.epochMilliseconds), \(bind: at.epochMilliseconds))
                    RETURNING id
                    """
                ).first()
                let id = try row!.int64("id")
                try await BulkInsert.rows(
                    "repair_order_lines",
                    columns: [
                        "store_id", "repair_order_id", "line_no", "kind", "code", "name", "quantity", "amount_fen",
                        "cost_fen",
                    ],
                    draft.lines.map { line in
                        [
                            storeId, id, Int64(line.lineNo), line.kind.rawValue, line.code, line.name, line.quantity,
                            line.amountFen, line.costFen,
                        ]
                    }, on: db)
                try await AuditWriter.insert(
                    AuditRecord(
                        action: .repairOrderCreated, entityType: "repair_order", entityId: String(id), storeId: storeId,
                        detail: draft.orderNo),
                    actor: scope.actor, at: at, on: db)
                return id
            }
        } catch let error where ConstraintViolation.isUnique(error) {
            throw RevisitError(.conflict, code: .duplicateOrderNo, field: "orderNo", args: ["value": draft.orderNo])
        }
        return try await repairOrder(id: id, scope: scope)
    }

    static let select: SQLQueryString = """
        SELECT r.*, v.vin AS vehicle_vin, c.customer_no AS customer_number FROM repair_orders r
        LEFT JOIN vehicles v ON v.store_id = r.store_id AND v.id = r.vehicle_id
        LEFT JOIN customers c ON c.store_id = r.store_id AND c.id = r.customer_id
        """

    /// The vehicle, customer and advisor named must belong to the same store.
    static func checkLinks(_ draft: RepairOrderDraft, storeId: Int64, on db: any SQLDatabase) async throws {
        if try await db.raw(
            "SELECT id FROM repair_orders WHERE store_id = \(bind: storeId) AND order_no = \(bind: draft.orderNo)"
        ).first() != nil {
            throw RevisitError(.conflict, code: .duplicateOrderNo, field: "orderNo", args: ["value": draft.orderNo])
        }
        if let vehicleId = draft.vehicleId,
            try await db.raw("SELECT id FROM vehicles WHERE store_id = \(bind: storeId) AND id = \(bind: vehicleId)")
                .first() == nil
        {
            throw RevisitError(.validation, code: .invalidValue, field: "vehicleId", args: ["value": String(vehicleId)])
        }
        if let customerId = draft.customerId,
            try await db.raw("SELECT id FROM customers WHERE store_id = \(bind: storeId) AND id = \(bind: customerId)")
                .first() == nil
        {
            throw RevisitError(
                .validation, code: .invalidValue, field: "customerId", args: ["value": String(customerId)])
        }
        if let advisorId = draft.advisorId,
            try await db.raw(
                "SELECT user_id FROM user_stores WHERE store_id = \(bind: storeId) AND user_id = \(bind: advisorId)"
            ).first() == nil
        {
            throw RevisitError(.validation, code: .invalidValue, field: "advisorId", args: ["value": String(advisorId)])
        }
    }

    static func withLines(_ rows: [any SQLRow], on db: any SQLDatabase) async throws -> [RepairOrder] {
        guard !rows.isEmpty else { return [] }
        var orders = try rows.map(order)
        let ids = orders.map(\.id)
        let lineRows = try await db.raw(
            "SELECT * FROM repair_order_lines WHERE repair_order_id IN (\(binds: ids)) ORDER BY repair_order_id, line_no"
        ).all()
        var lines: [Int64: [RepairOrderLine]] = [:]
        for row in lineRows {
            lines[try row.int64("repair_order_id"), default: []].append(
                RepairOrderLine(
                    lineNo: Int(try row.int64("line_no")), kind: LineKind(rawValue: try row.string("kind")) ?? .part,
                    code: try row.string("code"), name: try row.string("name"),
                    quantity: try row.decode(column: "quantity", as: Double.self),
                    amountFen: try row.int64("amount_fen"),
                    costFen: try row.int64("cost_fen")))
        }
        for index in orders.indices { orders[index].lines = lines[orders[index].id] ?? [] }
        return orders
    }

    static func order(_ row: any SQLRow) throws -> RepairOrder {
        RepairOrder(
            id: try row.int64("id"), storeId: try row.int64("store_id"), orderNo: try row.string("order_no"),
            vehicleId: try row.optionalInt64("vehicle_id"), customerId: try row.optionalInt64("customer_id"),
            advisorId: try row.optionalInt64("advisor_id"), advisorName: try row.string("advisor_name"),
            type: RepairOrderType(rawValue: try row.string("type")) ?? .other,
            openedOn: LocalDate(try row.string("opened_on")) ?? LocalDate(year: 1900, month: 1, day: 1)!,
            closedOn: try row.optionalString("closed_on").flatMap(LocalDate.init),
            mileageIn: try row.optionalInt64("mileage_in").map(Int.init), laborFen: try row.int64("labor_fen"),
            partsFen: try row.int64("parts_fen"), totalFen: try row.int64("total_fen"),
            costFen: try row.int64("cost_fen"),
            internalComeback: try row.bool("internal_comeback"), externalComeback: try row.bool("external_comeback"),
            lines: [], vin: try row.optionalString("vehicle_vin"),
            customerNo: try row.optionalString("customer_number"),
            openedMinute: try row.optionalInt64("opened_minute").map(Int.init))
    }
}
