import Foundation
import RevisitCore
import SQLKit

extension RowWriter {
    func vehicles(_ records: [VehicleImport], on db: any SQLDatabase) async throws -> ImportCounts {
        guard !records.isEmpty else { return ImportCounts() }
        var existing: [String: (id: Int64, fingerprint: Int64?, owner: Int64?)] = [:]
        for row in try await db.raw(
            """
            SELECT id, vin, import_fp, owner_customer_id FROM vehicles
            WHERE store_id = \(bind: storeId) AND vin IN (\(binds: records.map(\.vin)))
            """
        ).all() {
            existing[try row.string("vin")] = (
                try row.int64("id"), try row.optionalInt64("import_fp"), try row.optionalInt64("owner_customer_id")
            )
        }
        let owners = try await customerIds(records.compactMap(\.customerNo), on: db)
        var counts = ImportCounts()
        var inserts: [VehicleImport] = []
        var touchedOwners: Set<Int64> = []
        for record in records {
            let fingerprint = Int64(bitPattern: record.fingerprint)
            guard let current = existing[record.vin] else {
                inserts.append(record)
                continue
            }
            if current.fingerprint == fingerprint {
                counts.unchanged += 1
                continue
            }
            let owner = record.customerNo.flatMap { owners[$0] }
            try await updateVehicle(current.id, record, fingerprint: fingerprint, owner: owner, on: db)
            if record.customerNo != nil, owner != current.owner {
                // The DMS names another owner: the old ownership ends today; the new one starts now, or
                // when that customer's record arrives.
                try await changeOwner(vehicleId: current.id, from: current.owner, to: owner, on: db)
                if let old = current.owner { touchedOwners.insert(old) }
            }
            if let owner { touchedOwners.insert(owner) }
            counts.updated += 1
        }
        if !inserts.isEmpty {
            try await BulkInsert.rows(
                "vehicles",
                columns: [
                    "store_id", "vin", "vin_rev", "vin_flag", "plate", "plate_rev", "plate_flag", "brand", "model",
                    "trim", "colour", "delivery_date", "bought_here", "mileage_km", "mileage_read_on",
                    "insurance_company", "insurance_expiry", "inspection_due", "warranty_end_date", "warranty_end_km",
                    "owner_customer_id", "owner_customer_no", "import_fp", "version", "created_at", "updated_at",
                ],
                inserts.map { record in
                    let plate = record.plate ?? ""
                    return [
                        storeId, record.vin, record.vin.reversedText, (!record.vinValid).sqlInt, plate,
                        plate.reversedText, (!plate.isEmpty && !Plate.isValid(plate)).sqlInt, record.brand ?? "",
                        record.model ?? "", record.trim ?? "", record.colour ?? "", record.deliveryDate?.description,
                        (record.boughtHere ?? true).sqlInt, record.mileageKm.map { Int64($0) },
                        (record.mileageReadOn ?? (record.mileageKm == nil ? nil : today))?.description,
                        record.insuranceCompany ?? "", record.insuranceExpiry?.description,
                        record.inspectionDue?.description, record.warrantyEndDate?.description,
                        record.warrantyEndKm.map { Int64($0) }, record.customerNo.flatMap { owners[$0] },
                        record.customerNo, Int64(bitPattern: record.fingerprint), Int64(1), millis, millis,
                    ]
                }, on: db)
            var ownerships: [[BulkInsert.Value]] = []
            for row in try await db.raw(
                """
                SELECT id, owner_customer_id, delivery_date FROM vehicles
                WHERE store_id = \(bind: storeId) AND vin IN (\(binds: inserts.map(\.vin))) AND owner_customer_id IS NOT NULL
                """
            ).all() {
                let owner = try row.int64("owner_customer_id")
                touchedOwners.insert(owner)
                ownerships.append([
                    storeId, try row.int64("id"), owner, try row.optionalString("delivery_date") ?? today.description,
                ])
            }
            try await BulkInsert.rows(
                "vehicle_owners", columns: ["store_id", "vehicle_id", "customer_id", "from_date"], ownerships, on: db)
            counts.inserted += inserts.count
        }
        try await CustomerRows.refreshCompleteness(storeId: storeId, customerIds: Array(touchedOwners), on: db)
        return counts
    }

    func updateVehicle(
        _ id: Int64, _ record: VehicleImport, fingerprint: Int64, owner: Int64?, on db: any SQLDatabase
    ) async throws {
        var set = Assignments()
        set.set("vin_flag", (!record.vinValid).sqlInt)
        if let plate = record.plate {
            set.set("plate", plate)
            set.set("plate_rev", plate.reversedText)
            set.set("plate_flag", (!plate.isEmpty && !Plate.isValid(plate)).sqlInt)
        }
        set.set("brand", record.brand)
        set.set("model", record.model)
        set.set("trim", record.trim)
        set.set("colour", record.colour)
        set.set("delivery_date", record.deliveryDate?.description)
        set.set("bought_here", record.boughtHere?.sqlInt)
        set.set("mileage_km", record.mileageKm.map { Int64($0) })
        set.set("mileage_read_on", (record.mileageReadOn ?? (record.mileageKm == nil ? nil : today))?.description)
        set.set("insurance_company", record.insuranceCompany)
        set.set("insurance_expiry", record.insuranceExpiry?.description)
        set.set("inspection_due", record.inspectionDue?.description)
        set.set("warranty_end_date", record.warrantyEndDate?.description)
        set.set("warranty_end_km", record.warrantyEndKm.map { Int64($0) })
        set.set("owner_customer_no", record.customerNo)
        set.set("import_fp", fingerprint)
        set.set("updated_at", millis)
        try await db.raw(
            "UPDATE vehicles SET " + set.sql
                + ", version = version + 1 WHERE store_id = \(bind: storeId) AND id = \(bind: id)"
        ).run()
    }

    func changeOwner(vehicleId: Int64, from old: Int64?, to new: Int64?, on db: any SQLDatabase) async throws {
        if old != nil {
            try await db.raw(
                """
                UPDATE vehicle_owners SET until_date = \(bind: today.description)
                WHERE store_id = \(bind: storeId) AND vehicle_id = \(bind: vehicleId) AND until_date IS NULL
                """
            ).run()
        }
        try await db.raw(
            "UPDATE vehicles SET owner_customer_id = \(bind: new) WHERE store_id = \(bind: storeId) AND id = \(bind: vehicleId)"
        ).run()
        if let new {
            try await SQLVehicleStore.openOwnership(
                vehicleId: vehicleId, storeId: storeId, customerId: new, from: today, on: db)
        }
    }
}
