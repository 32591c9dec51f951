import Foundation
import RevisitCore
import SQLKit

/// Reads recipients (customer, first mobile, a vehicle, owning advisor) and the facts the send rules need
/// for a whole store at once: one query for the customers, one for the store's opt-outs, one for this
/// month's marketing counts, so a 100,000-customer send does not ask three questions per customer.
enum RecipientQuery {
    /// The store's customers matching `filters` (clauses on `c`), with `vehicleId` choosing the vehicle
    /// when the message is about one.
    static func recipients(
        storeId: Int64, filters: SQLQueryString, on db: any SQLDatabase
    ) async throws -> [Recipient] {
        let rows = try await db.raw(
            """
            SELECT c.id, c.name, c.gender, c.type, c.consent_sms, c.consent_service, u.name AS advisor_name,
                (SELECT p.digits FROM customer_phones p WHERE p.store_id = c.store_id AND p.customer_id = c.id
                    AND p.format = 'mobile' ORDER BY p.is_primary DESC, p.position LIMIT 1) AS mobile,
                (SELECT v.id FROM vehicles v WHERE v.store_id = c.store_id AND v.owner_customer_id = c.id
                    ORDER BY v.id LIMIT 1) AS vehicle_id
            FROM customers c LEFT JOIN users u ON u.id = c.owner_id
            WHERE c.store_id = \(bind: storeId)
            """ + filters + " ORDER BY c.id"
        ).all()
        var recipients: [Recipient] = []
        recipients.reserveCapacity(rows.count)
        var vehicleIds: [Int64] = []
        for row in rows {
            recipients.append(try recipient(row))
            if let id = try row.optionalInt64("vehicle_id") { vehicleIds.append(id) }
        }
        let vehicles = try await vehicles(storeId: storeId, ids: vehicleIds, on: db)
        for (index, row) in rows.enumerated() {
            if let id = try row.optionalInt64("vehicle_id"), let vehicle = vehicles[id] {
                recipients[index].plate = vehicle.plate
                recipients[index].vin = vehicle.vin
                recipients[index].vehicleModel = vehicle.model
            }
        }
        return recipients
    }

    static func recipient(_ row: any SQLRow) throws -> Recipient {
        Recipient(
            customerId: try row.int64("id"), name: try row.string("name"),
            gender: Gender(rawValue: try row.string("gender")) ?? .unknown,
            type: CustomerType(rawValue: try row.string("type")) ?? .individual,
            mobile: try row.optionalString("mobile"), marketingConsent: try row.bool("consent_sms"),
            serviceConsent: try row.bool("consent_service"), plate: "", vin: "", vehicleModel: "",
            advisorName: try row.optionalString("advisor_name") ?? "")
    }

    struct VehicleFacts: Sendable {
        var plate: String
        var vin: String
        var model: String
    }

    static func vehicles(storeId: Int64, ids: [Int64], on db: any SQLDatabase) async throws -> [Int64: VehicleFacts] {
        var out: [Int64: VehicleFacts] = [:]
        for start in stride(from: 0, to: ids.count, by: 5_000) {
            let slice = Array(ids[start..<min(start + 5_000, ids.count)])
            for row in try await db.raw(
                """
                SELECT id, plate, vin, brand, model FROM vehicles
                WHERE store_id = \(bind: storeId) AND id IN (\(binds: slice))
                """
            ).all() {
                let model = [try row.string("brand"), try row.string("model")].filter { !$0.isEmpty }
                    .joined(separator: " ")
                out[try row.int64("id")] = VehicleFacts(
                    plate: try row.string("plate"), vin: try row.optionalString("vin") ?? "", model: model)
            }
        }
        return out
    }

    /// The store's opted-out phones.
    static func optedOut(storeId: Int64, on db: any SQLDatabase) async throws -> Set<String> {
        Set(
            try await db.raw("SELECT phone FROM message_opt_outs WHERE store_id = \(bind: storeId)").all().map {
                try $0.string("phone")
            })
    }

    /// Marketing messages per customer created since `since` that count against the cap (queued, held, on
    /// their way or sent; refused and failed ones reached nobody).
    static func marketingCounts(storeId: Int64, since: Date, on db: any SQLDatabase) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try await db.raw(
            """
            SELECT customer_id, COUNT(*) AS n FROM outbox_messages
            WHERE store_id = \(bind: storeId) AND kind = 'marketing' AND created_at >= \(bind: since.epochMilliseconds)
                AND status NOT IN ('refused', 'failed', 'pending') AND customer_id IS NOT NULL
            GROUP BY customer_id
            """
        ).all() {
            counts[try row.int64("customer_id")] = Int(try row.int64("n"))
        }
        return counts
    }
}
