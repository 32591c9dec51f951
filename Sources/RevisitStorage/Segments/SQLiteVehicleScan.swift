import Foundation
import RevisitCore

/// The store's vehicles read once per run on SQLite's direct connection: each one's age band and warranty
/// status as of the run (`VehicleSegmentation`'s rules), and the warranty terms the workshop figures
/// judge each order by, kept in arrays by slot so the order scan finds them without a join.
struct SQLiteVehicleScan {
    var ids: [Int64] = []
    /// Days as YYYYMMDD numbers, 0 when unknown; the km limit -1 when the DMS gave none.
    var delivery: [Int32] = []
    var warrantyEnd: [Int32] = []
    var warrantyEndKm: [Int64] = []
    var slots = SQLiteSlots([])
    /// Every vehicle's classes as of the run, in id order.
    var stored: [StoredVehicleSegment] = []

    init(_ db: SQLiteReader.Connection, sql: SegmentRunSQL) throws {
        let asOf = sql.asOf
        try db.scan(
            """
            SELECT id, delivery_date, warranty_end_date, warranty_end_km, mileage_km FROM vehicles
            WHERE store_id = ? ORDER BY id
            """, [.int(sql.storeId)]
        ) { row in
            let id = row.int64(0)
            let delivery = row.day(1)
            let end = row.day(2)
            let endKm: Int64? = row.isNull(3) ? nil : row.int64(3)
            ids.append(id)
            self.delivery.append(delivery)
            warrantyEnd.append(end)
            warrantyEndKm.append(endKm ?? -1)
            let deliveryDate = SQLiteActivityScan.date(delivery)
            stored.append(
                StoredVehicleSegment(
                    vehicleId: id,
                    ageBand: VehicleSegmentation.ageBand(delivery: deliveryDate, asOf: asOf, settings: sql.settings),
                    warranty: VehicleSegmentation.warranty(
                        on: asOf, delivery: deliveryDate, endDate: SQLiteActivityScan.date(end), endKm: endKm,
                        mileageKm: row.isNull(4) ? nil : row.int64(4), settings: sql.settings)))
        }
        slots = SQLiteSlots(ids)
    }

    /// Vehicles by age band, then warranty status, every band and status present.
    var counts: [String: [String: Int]] {
        var counts = SegmentRunSQL.noVehicles
        for vehicle in stored { counts[vehicle.ageBand.rawValue]![vehicle.warranty.rawValue]! += 1 }
        return counts
    }

    /// `VehicleSegmentation.warranty` of an order on `day` (YYYYMMDD) at `km`, for the vehicle in `slot`
    /// (nil: no vehicle on file), on the same integer keys as the SQL form.
    func warranty(slot: Int?, day: Int32, km: Int64?, span: Int32, defaultKm: Int64) -> WarrantyStatus {
        guard let slot else { return .unknown }
        let end = warrantyEnd[slot]
        let byDate: Bool
        if end > 0 {
            byDate = day <= end
        } else if delivery[slot] > 0 {
            byDate = Self.monthDayKey(day) < Self.monthDayKey(delivery[slot]) + span
        } else {
            return .unknown
        }
        let limit = warrantyEndKm[slot] >= 0 ? warrantyEndKm[slot] : defaultKm
        let byKm = km.map { $0 < limit } ?? true
        return byDate && byKm ? .inWarranty : .outOfWarranty
    }

    /// `VehicleSegmentation.monthDayKey` of a YYYYMMDD number.
    static func monthDayKey(_ day: Int32) -> Int32 { ((day / 10_000) * 12 + day / 100 % 100) * 100 + day % 100 }
}
