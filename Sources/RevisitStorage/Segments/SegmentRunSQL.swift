import Foundation
import RevisitCore
import SQLKit

/// The statements of one segmentation run, the same text on both engines, and the readers of their rows.
/// Their constants (the store id, days as 'YYYY-MM-DD', thresholds) are written into the text: they are
/// numbers and validated days, never what a person typed, and one text then serves SQLite's direct
/// connection and SQLKit alike.
struct SegmentRunSQL {
    let storeId: Int64
    let asOf: LocalDate
    let settings: SegmentSettings

    var through: String { "'\(asOf.description)'" }
    var windowFrom: String { "'\(Segmentation.windowStart(asOf: asOf, settings: settings).description)'" }

    /// The store's last run (0 before the first): what the kept classes belong to.
    var lastRun: String { "SELECT COALESCE(MAX(id), 0) AS id FROM segment_runs WHERE store_id = \(storeId)" }

    /// The classes kept from the last run, in customer order (`StoredSegment`'s columns).
    var storedSegments: String {
        """
        SELECT customer_id, value_class, quadrant, rfm_r, rfm_f, rfm_m, churn_stage, last_visit
        FROM customer_segments WHERE store_id = \(storeId) ORDER BY customer_id
        """
    }

    var storedVehicles: String {
        "SELECT vehicle_id, age_band, warranty FROM vehicle_segments WHERE store_id = \(storeId) ORDER BY vehicle_id"
    }

    /// Runs of one store take turns on PostgreSQL: the store's row locked for the transaction in the
    /// mode that still lets rows referencing it be written.
    var lockStore: String { "SELECT id FROM stores WHERE id = \(storeId) FOR NO KEY UPDATE" }

    var anyStoredSegment: String { "SELECT 1 AS one FROM customer_segments WHERE store_id = \(storeId) LIMIT 1" }

    /// The changed rows' scratch table on PostgreSQL, gone at commit.
    static let createChanges =
        "CREATE TEMP TABLE segment_changes (LIKE customer_segments INCLUDING DEFAULTS) ON COMMIT DROP"
    static let upsertChanges = "INSERT INTO customer_segments SELECT * FROM segment_changes" + segmentConflict

    static let segmentColumns = [
        "store_id", "customer_id", "value_class", "quadrant", "rfm_r", "rfm_f", "rfm_m", "churn_stage", "last_visit",
    ]
    static let moveColumns = ["store_id", "run_id", "customer_id", "from_value", "to_value", "from_stage", "to_stage"]
    static let vehicleColumns = ["store_id", "vehicle_id", "age_band", "warranty"]

    /// What makes an insert of classes replace the customer's row when there is one.
    static let segmentConflict =
        " ON CONFLICT (store_id, customer_id) DO UPDATE SET "
        + segmentColumns.dropFirst(2).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
    static let vehicleConflict =
        " ON CONFLICT (store_id, vehicle_id) DO UPDATE SET age_band = excluded.age_band, warranty = excluded.warranty"

    /// A customer's classes written whether or not the row is there yet.
    static let upsertSegment = insert("customer_segments", segmentColumns) + segmentConflict
    static let deleteSegment = "DELETE FROM customer_segments WHERE store_id = ? AND customer_id = ?"
    static let insertMove = insert("segment_moves", moveColumns)
    static let upsertVehicle = insert("vehicle_segments", vehicleColumns) + vehicleConflict
    static let deleteVehicle = "DELETE FROM vehicle_segments WHERE store_id = ? AND vehicle_id = ?"

    static func insert(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
    }

    func segmentRow(_ activity: CustomerActivity, _ segment: CustomerSegments) -> [SQLScalar] {
        [
            .int(storeId), .int(activity.customerId), .string(segment.value.rawValue),
            .string(segment.quadrant.rawValue), .int(Int64(segment.rfm.r)), .int(Int64(segment.rfm.f)),
            .int(Int64(segment.rfm.m)), .string(segment.churnStage.rawValue), .of(activity.lastVisit?.description),
        ]
    }

    func vehicleRow(_ vehicle: StoredVehicleSegment) -> [SQLScalar] {
        [.int(storeId), .int(vehicle.vehicleId), .string(vehicle.ageBand.rawValue), .string(vehicle.warranty.rawValue)]
    }

    func moveRow(_ move: SegmentRunResult.Move, runId: Int64) -> [SQLScalar] {
        [
            .int(storeId), .int(runId), .int(move.customerId), .of(move.fromValue), .string(move.toValue),
            .of(move.fromStage), .string(move.toStage),
        ]
    }

    func insertRun(
        trigger: SegmentRun.Trigger, login: String, counts: SegmentCounts, started: Date
    ) throws -> (
        sql: String, binds: [SQLScalar]
    ) {
        let countsText = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        let settingsText = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        return (
            """
            INSERT INTO segment_runs (store_id, as_of, trigger_kind, user_login, customers, moved, counts, settings,
                started_at, duration_ms)
            VALUES (\(storeId), \(through), '\(trigger.rawValue)', ?, \(counts.customers), 0, ?, ?,
                \(started.epochMilliseconds), 0)
            RETURNING id
            """, [.string(login), .string(countsText), .string(settingsText)]
        )
    }

    func finishRun(
        id: Int64, moved: Int, durationMs: Int64, metrics: StoreMetrics
    ) throws -> (
        sql: String, binds: [SQLScalar]
    ) {
        (
            """
            UPDATE segment_runs SET moved = \(moved), duration_ms = \(durationMs), metrics = ?
            WHERE store_id = \(storeId) AND id = \(id)
            """, [.string(String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self))]
        )
    }
}
