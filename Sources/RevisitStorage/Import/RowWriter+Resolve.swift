import Foundation
import RevisitCore
import SQLKit

extension RowWriter {
    /// Links rows to the rows of `kind` that arrived after them: vehicles to their owners by customer number
    /// and repair orders to their customer (customers), repair orders to their vehicle (vehicles). Runs when
    /// an import finishes, so files can come in any order. Repair orders and lines link to what exists as
    /// they are written, and nothing links to them by key, so their imports have nothing to do here (on
    /// the million-line benchmark file, looking anyway cost a second).
    func resolveAll(after kind: ImportKind, on db: any SQLDatabase) async throws {
        switch kind {
        case .customers: try await resolveCustomers(on: db)
        case .vehicles: try await resolveVehicles(on: db)
        case .repairOrders, .lines: break
        }
    }

    private func resolveCustomers(on db: any SQLDatabase) async throws {
        var owners: [(vehicle: Int64, customer: Int64, from: String)] = []
        for row in try await db.raw(
            """
            SELECT v.id, COALESCE(c.merged_into_id, c.id) AS customer_id, v.delivery_date FROM vehicles v
            JOIN customers c ON c.store_id = v.store_id AND c.customer_no = v.owner_customer_no
            WHERE v.store_id = \(bind: storeId) AND v.owner_customer_id IS NULL AND v.owner_customer_no IS NOT NULL
            """
        ).all() {
            owners.append(
                (
                    try row.int64("id"), try row.int64("customer_id"),
                    try row.optionalString("delivery_date") ?? today.description
                ))
        }
        // One statement for all of them, the same rule the SELECT above applied.
        if !owners.isEmpty {
            try await db.raw(
                """
                UPDATE vehicles SET owner_customer_id = (SELECT COALESCE(c.merged_into_id, c.id) FROM customers c
                    WHERE c.store_id = vehicles.store_id AND c.customer_no = vehicles.owner_customer_no)
                WHERE store_id = \(bind: storeId) AND id IN (\(binds: owners.map(\.vehicle)))
                """
            ).run()
        }
        try await BulkInsert.rows(
            "vehicle_owners", columns: ["store_id", "vehicle_id", "customer_id", "from_date"],
            owners.map { [storeId, $0.vehicle, $0.customer, $0.from] }, on: db)
        try await CustomerRows.refreshCompleteness(
            storeId: storeId, customerIds: Array(Set(owners.map(\.customer))), on: db)
        try await db.raw(
            """
            UPDATE repair_orders SET customer_id = (SELECT COALESCE(c.merged_into_id, c.id) FROM customers c
                WHERE c.store_id = repair_orders.store_id AND c.customer_no = repair_orders.customer_no)
            WHERE store_id = \(bind: storeId) AND customer_id IS NULL AND customer_no IS NOT NULL
            AND EXISTS (SELECT 1 FROM customers c WHERE c.store_id = repair_orders.store_id AND c.customer_no = repair_orders.customer_no)
            """
        ).run()
    }

    /// Orders find their vehicle; the visit's odometer reading then counts for the vehicle too.
    private func resolveVehicles(on db: any SQLDatabase) async throws {
        var visits: [(order: Int64, vehicle: Int64, mileage: Int64?, day: String)] = []
        for row in try await db.raw(
            """
            SELECT o.id, v.id AS vehicle_id, o.mileage_in, COALESCE(o.closed_on, o.opened_on) AS day
            FROM repair_orders o JOIN vehicles v ON v.store_id = o.store_id AND v.vin = o.vin_ref
            WHERE o.store_id = \(bind: storeId) AND o.vehicle_id IS NULL AND o.vin_ref IS NOT NULL
            """
        ).all() {
            visits.append(
                (
                    try row.int64("id"), try row.int64("vehicle_id"), try row.optionalInt64("mileage_in"),
                    try row.string("day")
                ))
        }
        if !visits.isEmpty {
            try await db.raw(
                """
                UPDATE repair_orders SET vehicle_id = (SELECT v.id FROM vehicles v
                    WHERE v.store_id = repair_orders.store_id AND v.vin = repair_orders.vin_ref)
                WHERE store_id = \(bind: storeId) AND id IN (\(binds: visits.map(\.order)))
                """
            ).run()
        }
        try await newestMileage(
            visits.compactMap { visit in visit.mileage.map { (visit.vehicle, $0, visit.day) } }, on: db)
    }
}
