/// PostgreSQL keeps the workshop figures by day (`SQLSegmentStore+WorkshopKept`): each day's orders,
/// visitors, revenue, warranty split and comebacks, its orders by hour, and the visitors of whole months,
/// so a run sums only the days it has not kept instead of every order of its window. A day is computed
/// again once noted here: an order of that day came, went or changed what the figures read, or the
/// warranty days of a vehicle with orders that day changed. As in M0016 the notes have no unique key.
extension Migration {
    static let m0018WorkshopDaysKept = Migration(version: 18, name: "workshop days kept between runs") { ddl in
        guard ddl.engine == .postgresql else { return [] }
        return [
            """
            CREATE TABLE workshop_days (
                store_id BIGINT NOT NULL, day TEXT NOT NULL, orders BIGINT NOT NULL, customers BIGINT NOT NULL,
                revenue_fen BIGINT NOT NULL, in_warranty BIGINT NOT NULL, out_of_warranty BIGINT NOT NULL,
                internal_comebacks BIGINT NOT NULL, external_comebacks BIGINT NOT NULL,
                PRIMARY KEY (store_id, day)
            )
            """,
            """
            CREATE TABLE workshop_hours (
                store_id BIGINT NOT NULL, day TEXT NOT NULL, hour BIGINT NOT NULL, orders BIGINT NOT NULL,
                PRIMARY KEY (store_id, day, hour)
            )
            """,
            """
            CREATE TABLE workshop_months (
                store_id BIGINT NOT NULL, month TEXT NOT NULL, customers BIGINT NOT NULL, PRIMARY KEY (store_id, month)
            )
            """,
            "CREATE TABLE workshop_state (store_id BIGINT PRIMARY KEY REFERENCES stores(id), settings TEXT NOT NULL)",
            "CREATE TABLE workshop_dirty (store_id BIGINT NOT NULL, day TEXT NOT NULL)",
            "CREATE INDEX workshop_dirty_store ON workshop_dirty (store_id)",
            noteFunction(
                "workshop_orders_noted", notes: "workshop_dirty (store_id, day)",
                inserted: "SELECT DISTINCT store_id, opened_on FROM new_rows",
                deleted: "SELECT DISTINCT store_id, opened_on FROM old_rows",
                updated: """
                    SELECT DISTINCT c.store_id, c.day
                    FROM old_rows o JOIN new_rows n ON n.store_id = o.store_id AND n.id = o.id
                    CROSS JOIN LATERAL (VALUES (o.store_id, o.opened_on), (n.store_id, n.opened_on)) AS c (store_id, day)
                    WHERE (o.opened_on, o.opened_minute, o.customer_id, o.vehicle_id, o.total_fen, o.mileage_in,
                            o.internal_comeback, o.external_comeback)
                        IS DISTINCT FROM (n.opened_on, n.opened_minute, n.customer_id, n.vehicle_id, n.total_fen,
                            n.mileage_in, n.internal_comeback, n.external_comeback)
                    """),
            """
            CREATE FUNCTION workshop_vehicles_noted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO workshop_dirty (store_id, day)
                SELECT DISTINCT r.store_id, r.opened_on
                FROM old_rows o JOIN new_rows n ON n.store_id = o.store_id AND n.id = o.id
                JOIN repair_orders r ON r.store_id = n.store_id AND r.vehicle_id = n.id
                WHERE (o.delivery_date, o.warranty_end_date, o.warranty_end_km)
                    IS DISTINCT FROM (n.delivery_date, n.warranty_end_date, n.warranty_end_km);
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER vehicles_workshop_update AFTER UPDATE ON vehicles
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION workshop_vehicles_noted()
            """,
        ] + Migration.statementTriggers("repair_orders", "orders_workshop", "workshop_orders_noted")
    }
}
