/// PostgreSQL computes a run's vehicle classes only for the vehicles that can have changed class since the
/// last run (`SQLSegmentStore+VehiclesKept`): those noted by these triggers (a vehicle added, removed, or
/// with a new delivery day, warranty end, warranty mileage or mileage) and those whose days crossed a
/// boundary between the two as-of days. As in M0016 the notes have no unique key, so writers never wait
/// on each other's notes. SQLite classifies every vehicle in its own scan each run.
extension Migration {
    static let m0017VehicleClassesKept = Migration(version: 17, name: "vehicle classes kept between runs") { ddl in
        guard ddl.engine == .postgresql else { return [] }
        return [
            """
            CREATE TABLE vehicle_class_state (
                store_id BIGINT PRIMARY KEY REFERENCES stores(id), as_of TEXT NOT NULL, settings TEXT NOT NULL
            )
            """,
            "CREATE TABLE vehicle_class_dirty (store_id BIGINT NOT NULL, vehicle_id BIGINT NOT NULL)",
            "CREATE INDEX vehicle_class_dirty_store ON vehicle_class_dirty (store_id)",
            // The vehicles a day's boundaries cross are found by range instead of reading them all
            // (1.5 M vehicles: 1.15 s for the scan).
            "CREATE INDEX vehicles_delivered ON vehicles (store_id, delivery_date)",
            "CREATE INDEX vehicles_warranty_end ON vehicles (store_id, warranty_end_date)",
            noteFunction(
                "vehicle_classes_noted", notes: "vehicle_class_dirty (store_id, vehicle_id)",
                inserted: "SELECT store_id, id FROM new_rows", deleted: "SELECT store_id, id FROM old_rows",
                updated: """
                    SELECT n.store_id, n.id FROM old_rows o JOIN new_rows n ON n.store_id = o.store_id AND n.id = o.id
                    WHERE (o.delivery_date, o.warranty_end_date, o.warranty_end_km, o.mileage_km)
                        IS DISTINCT FROM (n.delivery_date, n.warranty_end_date, n.warranty_end_km, n.mileage_km)
                    """),
        ] + Migration.statementTriggers("vehicles", "vehicles_classes", "vehicle_classes_noted")
    }
}
