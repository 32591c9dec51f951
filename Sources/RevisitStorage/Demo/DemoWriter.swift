import Foundation
import RevisitCore
import SQLKit

/// Writes generated demo records in bulk: one transaction per chunk, multi-row inserts, ids given by
/// the generator (so the same seed gives the same ids), sequences moved past them afterwards.
public struct DemoWriter: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The next free id of customers, vehicles and repair orders.
    public func firstIds() async throws -> (customer: Int64, vehicle: Int64, order: Int64) {
        func next(_ table: String) async throws -> Int64 {
            let rows = try await database.all("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM \(unsafeRaw: table)")
            return try rows[0].int64("n")
        }
        return (try await next("customers"), try await next("vehicles"), try await next("repair_orders"))
    }

    public func write(_ chunk: DemoChunk) async throws {
        let vehicleCount = Dictionary(grouping: chunk.vehicles, by: { $0.ownerCustomerId ?? 0 }).mapValues(\.count)
        try await database.transaction { db in
            var customers: [[BulkInsert.Value]] = []
            var phones: [[BulkInsert.Value]] = []
            var contacts: [[BulkInsert.Value]] = []
            for c in chunk.customers {
                let ms = c.createdAt.epochMilliseconds
                customers.append([
                    c.id, c.storeId, c.customerNo, c.type.rawValue, c.name, c.gender.rawValue, c.birthday?.description,
                    c.address, c.region, c.sourceChannel, c.consentMarketingSMS.sqlInt, c.consentCallback.sqlInt,
                    CustomerRows.storedTags(c.tags), c.notes, c.licenceReviewDate?.description, c.ownerId,
                    c.alert?.reason, c.alert.map { $0.setAt.epochMilliseconds }, c.alert?.setBy,
                    c.primaryPhone?.number.digits ?? "", c.phones.contains { !$0.number.isValid }.sqlInt,
                    Int64(Completeness.score(c, vehicleCount: vehicleCount[c.id] ?? 0)), ms, ms,
                ])
                for (position, phone) in c.phones.enumerated() {
                    phones.append([
                        c.storeId, c.id, phone.number.digits, phone.number.digits.reversedText, phone.kind.rawValue,
                        phone.number.format.rawValue, phone.primary.sqlInt, Int64(position),
                    ])
                }
                for (position, contact) in c.contacts.enumerated() {
                    contacts.append([
                        c.storeId, c.id, contact.name, contact.title, contact.phone?.digits, Int64(position),
                    ])
                }
            }
            try await BulkInsert.rows(
                "customers",
                columns: [
                    "id", "store_id", "customer_no", "type", "name", "gender", "birthday", "address", "region",
                    "source_channel", "consent_sms", "consent_callback", "tags", "notes", "licence_review_date",
                    "owner_id", "alert_reason", "alert_set_at", "alert_set_by", "primary_phone", "phone_flag",
                    "completeness", "created_at", "updated_at",
                ], customers, on: db)
            try await BulkInsert.rows(
                "customer_phones",
                columns: [
                    "store_id", "customer_id", "digits", "digits_rev", "kind", "format", "is_primary", "position",
                ],
                phones, on: db)
            try await BulkInsert.rows(
                "customer_contacts", columns: ["store_id", "customer_id", "name", "title", "phone", "position"],
                contacts,
                on: db)
            var vehicles: [[BulkInsert.Value]] = []
            var owners: [[BulkInsert.Value]] = []
            for v in chunk.vehicles {
                vehicles.append([
                    v.id, v.storeId, v.vin, v.vin.reversedText, (!v.vinValid).sqlInt, v.plate, v.plate.reversedText,
                    (!v.plateValid).sqlInt, v.brand, v.model, v.trim, v.colour, v.deliveryDate?.description,
                    v.boughtHere.sqlInt, v.mileageKm.map(Int64.init), v.mileageReadOn?.description, v.insuranceCompany,
                    v.insuranceExpiry?.description, v.inspectionDue?.description, v.warrantyEndDate?.description,
                    v.warrantyEndKm.map(Int64.init), v.ownerCustomerId, Int64(0), Int64(0),
                ])
                if let owner = v.ownerCustomerId {
                    owners.append([v.storeId, v.id, owner, v.deliveryDate?.description])
                }
            }
            try await BulkInsert.rows(
                "vehicles",
                columns: [
                    "id", "store_id", "vin", "vin_rev", "vin_flag", "plate", "plate_rev", "plate_flag", "brand",
                    "model",
                    "trim", "colour", "delivery_date", "bought_here", "mileage_km", "mileage_read_on",
                    "insurance_company", "insurance_expiry", "inspection_due", "warranty_end_date", "warranty_end_km",
                    "owner_customer_id", "created_at", "updated_at",
                ], vehicles, on: db)
            try await BulkInsert.rows(
                "vehicle_owners", columns: ["store_id", "vehicle_id", "customer_id", "from_date"], owners, on: db)
            var orders: [[BulkInsert.Value]] = []
            var lines: [[BulkInsert.Value]] = []
            for o in chunk.orders {
                orders.append([
                    o.id, o.storeId, o.orderNo, o.vehicleId, o.customerId, o.advisorId, o.advisorName, o.type.rawValue,
                    o.openedOn.description, o.openedMinute.map(Int64.init), o.closedOn?.description,
                    o.mileageIn.map(Int64.init), o.laborFen,
                    o.partsFen,
                    o.totalFen, o.costFen, o.internalComeback.sqlInt, o.externalComeback.sqlInt, Int64(0), Int64(0),
                ])
                for line in o.lines {
                    lines.append([
                        o.storeId, o.id, Int64(line.lineNo), line.kind.rawValue, line.code, line.name, line.quantity,
                        line.amountFen, line.costFen,
                    ])
                }
            }
            try await BulkInsert.rows(
                "repair_orders",
                columns: [
                    "id", "store_id", "order_no", "vehicle_id", "customer_id", "advisor_id", "advisor_name", "type",
                    "opened_on", "opened_minute", "closed_on", "mileage_in", "labor_fen", "parts_fen", "total_fen",
                    "cost_fen", "internal_comeback", "external_comeback", "created_at", "updated_at",
                ], orders, on: db)
            try await BulkInsert.rows(
                "repair_order_lines",
                columns: [
                    "store_id", "repair_order_id", "line_no", "kind", "code", "name", "quantity", "amount_fen",
                    "cost_fen",
                ],
                lines, on: db)
        }
    }

    /// After explicit ids, PostgreSQL's identity sequences must move past them; both engines get fresh
    /// planner statistics.
    public func finish() async throws {
        if database.engine == .postgresql {
            for table in [
                "customers", "vehicles", "repair_orders", "vehicle_owners", "customer_phones", "customer_contacts",
            ] {
                try await database.run(
                    "SELECT setval(pg_get_serial_sequence('\(unsafeRaw: table)', 'id'), (SELECT COALESCE(MAX(id), 1) FROM \(unsafeRaw: table)))"
                )
            }
        }
        try await database.run("ANALYZE")
    }
}
