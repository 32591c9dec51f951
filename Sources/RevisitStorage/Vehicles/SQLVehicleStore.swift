import Foundation
import RevisitCore
import SQLKit

/// Vehicles and their ownership history on either engine.
public struct SQLVehicleStore: VehicleStore {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    public func vehicles(_ query: VehicleQuery, scope: Scope) async throws -> Page<Vehicle> {
        let limit = max(1, min(query.limit, 200))
        let collate = database.bytewise
        var sql: SQLQueryString = "SELECT * FROM vehicles WHERE " + scope.storeFilter("store_id")
        if let storeId = query.storeId { sql += " AND store_id = \(bind: storeId)" }
        switch query.flag {
        case .vin: sql += " AND vin_flag = 1"
        case .plate: sql += " AND plate_flag = 1"
        default: break
        }
        let key = Plate.normalize(query.q)
        if !key.isEmpty {
            let reversed = key.reversedText
            sql +=
                " AND (vin = \(bind: key) OR plate = \(bind: key)"
                + " OR (vin_rev \(unsafeRaw: collate) >= \(bind: reversed) AND vin_rev \(unsafeRaw: collate) < \(bind: reversed + prefixRangeEnd))"
                + " OR (plate_rev \(unsafeRaw: collate) >= \(bind: reversed) AND plate_rev \(unsafeRaw: collate) < \(bind: reversed + prefixRangeEnd))"
                + " OR (plate \(unsafeRaw: collate) >= \(bind: key) AND plate \(unsafeRaw: collate) < \(bind: key + prefixRangeEnd)))"
        }
        if let cursor = query.cursor {
            guard let lastId = Int64(try Cursor.decode(cursor, count: 1)[0]) else {
                throw RevisitError(.badRequest, code: .invalidCursor, field: "cursor")
            }
            sql += " AND id < \(bind: lastId)"
        }
        sql += " ORDER BY id DESC LIMIT \(bind: Int64(limit + 1))"
        let rows = try await database.all(sql)
        let items = try rows.prefix(limit).map(Self.vehicle)
        let next = rows.count > limit ? items.last.map { Cursor.encode([String($0.id)]) } : nil
        return Page(items: items, nextCursor: next)
    }

    public func vehicle(id: Int64, scope: Scope) async throws -> Vehicle {
        let rows = try await database.all(
            "SELECT * FROM vehicles WHERE id = \(bind: id) AND " + scope.storeFilter("store_id"))
        guard let row = rows.first else { throw RevisitError.notFound() }
        return try Self.vehicle(row)
    }

    public func vehicles(ownedBy customerId: Int64, scope: Scope) async throws -> [Vehicle] {
        try await database.all(
            "SELECT * FROM vehicles WHERE owner_customer_id = \(bind: customerId) AND " + scope.storeFilter("store_id")
                + " ORDER BY id"
        ).map(Self.vehicle)
    }

    public func createVehicle(storeId: Int64, _ draft: VehicleDraft, scope: Scope) async throws -> Vehicle {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        let draft = try draft.normalized()
        let at = now()
        let today = LocalDate(at, timeZone: TimeZone(identifier: Store.defaultTimeZone)!)
        let id = try await write { db in
            try await Self.checkOwner(draft.ownerCustomerId, storeId: storeId, on: db)
            try await Self.checkVINFree(draft.vin, storeId: storeId, except: nil, on: db)
            let row = try await db.raw(
                "INSERT INTO vehicles (store_id, vin, vin_rev, created_at, updated_at, version) VALUES (\(bind: storeId), \(bind: draft.vin), \(bind: draft.vin.reversedText), \(bind: at.epochMilliseconds), \(bind: at.epochMilliseconds), 1) RETURNING id"
            ).first()
            let id = try row!.int64("id")
            try await Self.writeFields(id: id, storeId: storeId, draft, at: at, on: db)
            if let owner = draft.ownerCustomerId {
                try await Self.openOwnership(
                    vehicleId: id, storeId: storeId, customerId: owner, from: draft.deliveryDate ?? today, on: db)
                try await CustomerRows.refreshCompleteness(storeId: storeId, customerIds: [owner], on: db)
            }
            try await AuditWriter.insert(
                AuditRecord(
                    action: .vehicleCreated, entityType: "vehicle", entityId: String(id), storeId: storeId,
                    detail: draft.vin),
                actor: scope.actor, at: at, on: db)
            return id
        }
        return try await vehicle(id: id, scope: scope)
    }

    public func updateVehicle(
        id: Int64, _ draft: VehicleDraft, expectedVersion: Int64, today: LocalDate, scope: Scope
    ) async throws -> Vehicle {
        let draft = try draft.normalized()
        let at = now()
        let current = try await vehicle(id: id, scope: scope)
        try await write { db in
            let version = try await db.raw(
                "SELECT version FROM vehicles WHERE store_id = \(bind: current.storeId) AND id = \(bind: id)"
            ).first()
            guard try version?.int64("version") == expectedVersion else {
                throw RevisitError(.conflict, code: .versionConflict, field: "version")
            }
            try await Self.checkOwner(draft.ownerCustomerId, storeId: current.storeId, on: db)
            try await Self.checkVINFree(draft.vin, storeId: current.storeId, except: id, on: db)
            try await db.raw(
                "UPDATE vehicles SET vin = \(bind: draft.vin), vin_rev = \(bind: draft.vin.reversedText), version = version + 1 WHERE store_id = \(bind: current.storeId) AND id = \(bind: id)"
            ).run()
            try await Self.writeFields(id: id, storeId: current.storeId, draft, at: at, on: db)
            if draft.ownerCustomerId != current.ownerCustomerId {
                // A change of owner keeps the history: the old period ends today, a new one starts.
                try await db.raw(
                    "UPDATE vehicle_owners SET until_date = \(bind: today.description) WHERE store_id = \(bind: current.storeId) AND vehicle_id = \(bind: id) AND until_date IS NULL"
                ).run()
                if let owner = draft.ownerCustomerId {
                    try await Self.openOwnership(
                        vehicleId: id, storeId: current.storeId, customerId: owner, from: today, on: db)
                }
                let affected = [current.ownerCustomerId, draft.ownerCustomerId].compactMap { $0 }
                try await CustomerRows.refreshCompleteness(storeId: current.storeId, customerIds: affected, on: db)
            }
            try await AuditWriter.insert(
                AuditRecord(
                    action: .vehicleUpdated, entityType: "vehicle", entityId: String(id), storeId: current.storeId,
                    detail: draft.vin),
                actor: scope.actor, at: at, on: db)
        }
        return try await vehicle(id: id, scope: scope)
    }

    public func owners(vehicleId: Int64, scope: Scope) async throws -> [VehicleOwnership] {
        let vehicle = try await vehicle(id: vehicleId, scope: scope)
        return try await database.all(
            """
            SELECT o.customer_id, o.from_date, o.until_date, c.name FROM vehicle_owners o
            JOIN customers c ON c.store_id = o.store_id AND c.id = o.customer_id
            WHERE o.store_id = \(bind: vehicle.storeId) AND o.vehicle_id = \(bind: vehicleId) ORDER BY o.id DESC
            """
        ).map { row in
            VehicleOwnership(
                customerId: try row.int64("customer_id"), customerName: try row.string("name"),
                from: try row.optionalString("from_date").flatMap(LocalDate.init),
                until: try row.optionalString("until_date").flatMap(LocalDate.init))
        }
    }

    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await database.transaction(body)
        } catch let error where ConstraintViolation.isUnique(error) {
            throw RevisitError(.conflict, code: .duplicateVIN, field: "vin")
        }
    }

    static func writeFields(
        id: Int64, storeId: Int64, _ draft: VehicleDraft, at: Date, on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            UPDATE vehicles SET vin_flag = \(bind: (VIN.problem(draft.vin) != nil).sqlInt), plate = \(bind: draft.plate),
                plate_rev = \(bind: draft.plate.reversedText),
                plate_flag = \(bind: (!draft.plate.isEmpty && !Plate.isValid(draft.plate)).sqlInt),
                brand = \(bind: draft.brand), model = \(bind: draft.model), trim = \(bind: draft.trim),
                colour = \(bind: draft.colour), delivery_date = \(bind: draft.deliveryDate?.description),
                bought_here = \(bind: draft.boughtHere.sqlInt), mileage_km = \(bind: draft.mileageKm.map(Int64.init)),
                mileage_read_on = \(bind: draft.mileageReadOn?.description),
                insurance_company = \(bind: draft.insuranceCompany),
                insurance_expiry = \(bind: draft.insuranceExpiry?.description),
                inspection_due = \(bind: draft.inspectionDue?.description),
                warranty_end_date = \(bind: draft.warrantyEndDate?.description),
                warranty_end_km = \(bind: draft.warrantyEndKm.map(Int64.init)),
                owner_customer_id = \(bind: draft.ownerCustomerId), updated_at = \(bind: at.epochMilliseconds)
            WHERE store_id = \(bind: storeId) AND id = \(bind: id)
            """
        ).run()
    }

    static func openOwnership(
        vehicleId: Int64, storeId: Int64, customerId: Int64, from: LocalDate, on db: any SQLDatabase
    )
        async throws
    {
        try await db.raw(
            "INSERT INTO vehicle_owners (store_id, vehicle_id, customer_id, from_date) VALUES (\(bind: storeId), \(bind: vehicleId), \(bind: customerId), \(bind: from.description))"
        ).run()
    }

    /// The owner must be a live customer of the same store.
    static func checkOwner(_ customerId: Int64?, storeId: Int64, on db: any SQLDatabase) async throws {
        guard let customerId else { return }
        let row = try await db.raw(
            "SELECT id FROM customers WHERE store_id = \(bind: storeId) AND id = \(bind: customerId) AND merged_into_id IS NULL"
        ).first()
        if row == nil {
            throw RevisitError(
                .validation, code: .invalidValue, field: "ownerCustomerId", args: ["value": String(customerId)])
        }
    }

    static func checkVINFree(_ vin: String, storeId: Int64, except id: Int64?, on db: any SQLDatabase) async throws {
        if let row = try await db.raw(
            "SELECT id FROM vehicles WHERE store_id = \(bind: storeId) AND vin = \(bind: vin)"
        ).first(),
            try row.int64("id") != id
        {
            throw RevisitError(.conflict, code: .duplicateVIN, field: "vin", args: ["value": vin])
        }
    }

    /// Every column `vehicle(_:)` reads, for queries that build vehicle rows as JSON objects.
    static let columns = [
        "id", "store_id", "vin", "plate", "brand", "model", "trim", "colour", "delivery_date", "bought_here",
        "mileage_km", "mileage_read_on", "insurance_company", "insurance_expiry", "inspection_due",
        "warranty_end_date", "warranty_end_km", "owner_customer_id", "version",
    ]

    static func vehicle(_ row: any SQLRow) throws -> Vehicle {
        func date(_ column: String) throws -> LocalDate? { try row.optionalString(column).flatMap(LocalDate.init) }
        return Vehicle(
            id: try row.int64("id"), storeId: try row.int64("store_id"), vin: try row.string("vin"),
            plate: try row.string("plate"), brand: try row.string("brand"), model: try row.string("model"),
            trim: try row.string("trim"), colour: try row.string("colour"), deliveryDate: try date("delivery_date"),
            boughtHere: try row.bool("bought_here"), mileageKm: try row.optionalInt64("mileage_km").map(Int.init),
            mileageReadOn: try date("mileage_read_on"), insuranceCompany: try row.string("insurance_company"),
            insuranceExpiry: try date("insurance_expiry"), inspectionDue: try date("inspection_due"),
            warrantyEndDate: try date("warranty_end_date"),
            warrantyEndKm: try row.optionalInt64("warranty_end_km").map(Int.init),
            ownerCustomerId: try row.optionalInt64("owner_customer_id"), version: try row.int64("version"))
    }
}
