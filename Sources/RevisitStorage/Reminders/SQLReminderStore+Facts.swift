import Foundation
import RevisitCore
import SQLKit

/// What the rules read, a chunk of ids at a time: one row per vehicle with its owner, maintenance history
/// and latest odometer readings, one row per customer with its owner, stage and last visit.
extension SQLReminderStore {
    static let maintenanceTypes = RepairOrderType.allCases.filter(\.isMaintenance).map { "'\($0.rawValue)'" }
        .joined(separator: ", ")

    func vehicleFacts(
        storeId: Int64, asOf: LocalDate, readings: Int, after: Int64, limit: Int, on db: any SQLDatabase
    ) async throws
        -> [(facts: VehicleFacts, owner: CustomerOwner)]
    {
        let json = JSONDialect(database.engine)
        let through = asOf.description
        let maintenance = """
            FROM repair_orders o WHERE o.store_id = v.store_id AND o.vehicle_id = v.id
                AND o.type IN (\(Self.maintenanceTypes)) AND o.opened_on <= '\(through)'
            """
        let rows = try await db.raw(
            """
            SELECT v.id, v.owner_customer_id, v.brand, v.delivery_date, v.insurance_expiry, v.inspection_due,
                v.warranty_end_date, v.mileage_km, v.mileage_read_on, c.owner_id,
                c.owner_team_id,
                (SELECT COUNT(*) \(unsafeRaw: maintenance)) AS maintenance_visits,
                (SELECT o.opened_on \(unsafeRaw: maintenance) ORDER BY o.opened_on DESC, o.id DESC LIMIT 1) AS last_maintenance,
                (SELECT o.mileage_in \(unsafeRaw: maintenance) ORDER BY o.opened_on DESC, o.id DESC LIMIT 1) AS last_km,
                (SELECT \(unsafeRaw: json.array("\(json.tuple)(r.opened_on, r.mileage_in)", orderBy: "r.opened_on"))
                    FROM (SELECT o.opened_on, o.mileage_in FROM repair_orders o
                        WHERE o.store_id = v.store_id AND o.vehicle_id = v.id AND o.mileage_in IS NOT NULL
                            AND o.opened_on <= \(bind: through)
                        ORDER BY o.opened_on DESC LIMIT \(unsafeRaw: String(readings))) r) AS readings
            FROM vehicles v
            LEFT JOIN customers c ON c.store_id = v.store_id AND c.id = v.owner_customer_id
            WHERE v.store_id = \(bind: storeId) AND v.id > \(bind: after)
            ORDER BY v.id LIMIT \(bind: Int64(limit))
            """
        ).all()
        return try rows.map { row in
            var readings = Self.readings(try row.optionalString("readings"))
            if let km = try row.optionalInt64("mileage_km"),
                let day = try row.optionalString("mileage_read_on").flatMap(LocalDate.init), day <= asOf
            {
                readings.append(MileageReading(date: day, km: Int(km)))
            }
            let facts = VehicleFacts(
                vehicleId: try row.int64("id"), customerId: try row.optionalInt64("owner_customer_id"),
                brand: try row.string("brand"), deliveryDate: try Self.day(row, "delivery_date"),
                insuranceExpiry: try Self.day(row, "insurance_expiry"),
                inspectionDue: try Self.day(row, "inspection_due"),
                warrantyEndDate: try Self.day(row, "warranty_end_date"),
                maintenanceVisits: Int(try row.int64("maintenance_visits")),
                lastMaintenance: try Self.day(row, "last_maintenance"),
                lastMaintenanceKm: try row.optionalInt64("last_km").map(Int.init), readings: readings)
            let owner = CustomerOwner(
                advisorId: try row.optionalInt64("owner_id"), teamId: try row.optionalInt64("owner_team_id"))
            return (facts, owner)
        }
    }

    /// Customers with their owner, last visit and the churn stage that visit gives as of the day (by
    /// the store's segmentation thresholds, not the last run's class: a customer who came in yesterday
    /// is not won back today), by id.
    func customerFacts(
        storeId: Int64, asOf: LocalDate, segments: SegmentSettings, after: Int64, limit: Int,
        on db: any SQLDatabase
    )
        async throws -> [(facts: CustomerFacts, owner: CustomerOwner)]
    {
        try await db.raw(
            """
            SELECT c.id, c.owner_id, c.owner_team_id, c.birthday, c.licence_review_date,
                (SELECT MAX(o.opened_on) FROM repair_orders o
                    WHERE o.store_id = c.store_id AND o.customer_id = c.id AND o.opened_on <= \(bind: asOf.description))
                    AS last_visit
            FROM customers c
            WHERE c.store_id = \(bind: storeId) AND c.merged_into_id IS NULL AND c.id > \(bind: after)
            ORDER BY c.id LIMIT \(bind: Int64(limit))
            """
        ).all().map { row in
            let lastVisit = try Self.day(row, "last_visit")
            return (
                CustomerFacts(
                    customerId: try row.int64("id"), birthday: try Self.day(row, "birthday"),
                    licenceReviewDate: try Self.day(row, "licence_review_date"),
                    churnStage: Segmentation.churnStage(lastVisit: lastVisit, asOf: asOf, settings: segments),
                    lastVisit: lastVisit),
                CustomerOwner(
                    advisorId: try row.optionalInt64("owner_id"), teamId: try row.optionalInt64("owner_team_id"))
            )
        }
    }

    static func day(_ row: any SQLRow, _ column: String) throws -> LocalDate? {
        try row.optionalString(column).flatMap(LocalDate.init)
    }

    /// `[["2025-03-02", 41200], …]` as readings; anything else is no reading.
    static func readings(_ text: String?) -> [MileageReading] {
        guard let text, let pairs = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[Any]] else {
            return []
        }
        return pairs.compactMap { pair in
            guard pair.count == 2, let day = (pair[0] as? String).flatMap(LocalDate.init),
                let km = (pair[1] as? NSNumber)?.intValue
            else { return nil }
            return MileageReading(date: day, km: km)
        }
    }
}
