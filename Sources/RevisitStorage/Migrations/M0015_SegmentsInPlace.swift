/// A run now writes only the customers and vehicles whose classes changed, so a row's own run and day
/// would tell when it last changed, not which run its classes are: they are always the store's last
/// run's, and readers take the day from `segment_runs`.
extension Migration {
    static let m0015SegmentsInPlace = Migration(version: 15, name: "segments kept in place") { _ in
        [
            "ALTER TABLE customer_segments DROP COLUMN run_id",
            "ALTER TABLE customer_segments DROP COLUMN as_of",
            "ALTER TABLE vehicle_segments DROP COLUMN run_id",
            "ALTER TABLE vehicle_segments DROP COLUMN as_of",
        ]
    }
}
