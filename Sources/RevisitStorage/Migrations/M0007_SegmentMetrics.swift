/// A run also keeps the store's analytics as of its day (churn by year, cohorts, the lifetime-value
/// inputs, workshop figures), so a dashboard reads one row however many repair orders there are; and
/// each vehicle's age band and warranty status, replaced per run like the customers' classes. One nightly
/// run per store and day: several servers on one database may all wake at 02:00, one of them wins.
extension Migration {
    static let m0007SegmentMetrics = Migration(version: 7, name: "segment metrics") { _ in
        [
            "ALTER TABLE segment_runs ADD COLUMN metrics TEXT",
            "CREATE UNIQUE INDEX segment_runs_nightly ON segment_runs (store_id, as_of) WHERE trigger_kind = 'nightly'",
            """
            CREATE TABLE vehicle_segments (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                vehicle_id BIGINT NOT NULL,
                run_id BIGINT NOT NULL,
                as_of TEXT NOT NULL,
                age_band TEXT NOT NULL,
                warranty TEXT NOT NULL,
                PRIMARY KEY (store_id, vehicle_id)
            )
            """,
            "CREATE INDEX vehicle_segments_band ON vehicle_segments (store_id, age_band, warranty)",
        ]
    }
}
