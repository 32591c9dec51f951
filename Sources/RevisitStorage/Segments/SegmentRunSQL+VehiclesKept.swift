import Foundation
import RevisitCore

/// The statements that bring the vehicles' classes (PostgreSQL; M0017) from the kept as-of day to the
/// run's: a vehicle's band and status can only change when its row changed (noted) or when one of its
/// days crossed a boundary between the two days, so only those are classified again.
extension SegmentRunSQL {
    /// The thresholds the classes depend on: other thresholds mean every vehicle is classified anew.
    var vehicleSettings: String {
        "\(settings.ageBandYears.map(String.init).joined(separator: ","))|\(settings.warrantyMonths)|\(settings.warrantyKm)"
    }

    var vehicleState: String {
        "SELECT as_of, settings FROM vehicle_class_state WHERE store_id = \(storeId) FOR UPDATE"
    }

    /// The vehicles whose class can differ on this day from the kept day `kept` (not after it): noted,
    /// delivered between the two days an age boundary back, or whose warranty ended between them (by its
    /// end day, or without one, by the months after delivery as `warranty` counts them). Each branch is a
    /// range of an index; the months after delivery are first bounded by days a month wider on each side
    /// (a (month, day) key is never more than a month from the day it stands for).
    func vehiclesCrossing(since kept: LocalDate) -> String {
        let vehicle = "SELECT v.id FROM vehicles v WHERE v.store_id = \(storeId) AND"
        let bands = settings.ageBandYears.map { years in
            let from = kept.addingMonths(-12 * years).description
            let to = asOf.addingMonths(-12 * years).description
            return "\(vehicle) v.delivery_date > '\(from)' AND v.delivery_date <= '\(to)'"
        }
        let months = settings.warrantyMonths * 100
        let delivered = Self.monthDayKey("v.delivery_date")
        let roughFrom = kept.addingMonths(-settings.warrantyMonths - 1).description
        let roughTo = asOf.addingMonths(-settings.warrantyMonths + 1).description
        return
            (["SELECT vehicle_id FROM vehicles_noted"] + bands + [
                "\(vehicle) v.warranty_end_date >= '\(kept.description)' AND v.warranty_end_date < \(through)",
                """
                \(vehicle) v.delivery_date > '\(roughFrom)' AND v.delivery_date <= '\(roughTo)'
                    AND v.warranty_end_date IS NULL
                    AND \(delivered) + \(months) > \(VehicleSegmentation.monthDayKey(kept))
                    AND \(delivered) + \(months) <= \(VehicleSegmentation.monthDayKey(asOf))
                """,
            ]).joined(separator: "\nUNION\n")
    }

    /// Those vehicles classified and written where they differ from the kept classes; the noted vehicles
    /// that are gone lose theirs.
    func vehicleClassesMoved(since kept: LocalDate) -> String {
        """
        WITH computed AS (
            SELECT v.id, \(vehicleBand) AS age_band, \(vehicleStatus) AS warranty
            FROM vehicles v WHERE v.store_id = \(storeId) AND v.id IN (\(vehiclesCrossing(since: kept)))
        ), written AS (
            INSERT INTO vehicle_segments (store_id, vehicle_id, age_band, warranty)
            SELECT \(storeId), n.id, n.age_band, n.warranty FROM computed n
            LEFT JOIN vehicle_segments s ON s.store_id = \(storeId) AND s.vehicle_id = n.id
            WHERE s.vehicle_id IS NULL OR s.age_band <> n.age_band OR s.warranty <> n.warranty
            \(Self.vehicleConflict)
        )
        DELETE FROM vehicle_segments s USING vehicles_noted n
        WHERE s.store_id = \(storeId) AND s.vehicle_id = n.vehicle_id
            AND NOT EXISTS (SELECT 1 FROM vehicles v WHERE v.store_id = \(storeId) AND v.id = n.vehicle_id)
        """
    }

    /// The store's vehicles by band and status, from the classes as now written (one per vehicle).
    var vehicleCounts: String {
        """
        SELECT age_band, warranty, COUNT(*) AS vehicles FROM vehicle_segments WHERE store_id = \(storeId)
        GROUP BY age_band, warranty
        """
    }

    var saveVehicleState: String {
        """
        INSERT INTO vehicle_class_state (store_id, as_of, settings) VALUES (\(storeId), \(through), '\(vehicleSettings)')
        ON CONFLICT (store_id) DO UPDATE SET as_of = excluded.as_of, settings = excluded.settings
        """
    }
}
