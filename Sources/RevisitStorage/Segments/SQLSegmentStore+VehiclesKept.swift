import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// The vehicles' classes as of the run's day on PostgreSQL, written where they changed, and the
    /// store's vehicles counted by band and status. From the kept day only the vehicles noted since and
    /// those whose days crossed a boundary are classified (`SegmentRunSQL+VehiclesKept`); every vehicle is
    /// when nothing is kept, the day went back or the thresholds changed. In the run's transaction, whose
    /// store lock keeps another run from moving the classes meanwhile.
    static func keptVehicleClasses(_ sql: SegmentRunSQL, on db: any SQLDatabase) async throws -> [String: [String: Int]]
    {
        let kept = try await db.raw(SQLQueryString(sql.vehicleState)).first()
        for statement in sql.takeNotes(from: "vehicle_class_dirty", "vehicle_id", "BIGINT", into: "vehicles_noted") {
            try await db.raw(SQLQueryString(statement)).run()
        }
        try await db.raw("ANALYZE vehicles_noted").run()
        let counts: [String: [String: Int]]
        if let kept, try kept.string("settings") == sql.vehicleSettings, let day = LocalDate(try kept.string("as_of")),
            day <= sql.asOf
        {
            try await db.raw(SQLQueryString(sql.vehicleClassesMoved(since: day))).run()
            counts = try SegmentRunSQL.vehicles(try await db.raw(SQLQueryString(sql.vehicleCounts)).all())
        } else {
            // The comparison with the kept classes hashes in memory (at 4 MB it split in batches).
            try await db.raw("SET LOCAL work_mem = '64MB'").run()
            counts = try SegmentRunSQL.vehicles(try await db.raw(SQLQueryString(sql.vehicleClasses)).all())
        }
        try await db.raw(SQLQueryString(sql.saveVehicleState)).run()
        return counts
    }
}
