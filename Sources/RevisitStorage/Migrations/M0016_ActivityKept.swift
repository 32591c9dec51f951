/// PostgreSQL keeps each customer's activity sums (`customer_activity`) between segmentation runs and
/// brings them forward from one as-of day to the next, instead of grouping every repair order of the
/// store each night (`ActivityKept`). Triggers note the customers whose orders or whose own row changed
/// (`customer_activity_dirty`); a run sums those anew. SQLite recomputes the sums each run in its own
/// scan, within the target there, so it gets none of this.
///
/// The noted customers have no unique key: a writer appends, never waits on another's note of the same
/// customer (a unique key made concurrent imports queue, and could deadlock them); the run removes
/// duplicates when it takes the notes.
extension Migration {
    static let m0016ActivityKept = Migration(version: 16, name: "customer activity kept between runs") { ddl in
        guard ddl.engine == .postgresql else { return [] }
        return [
            """
            CREATE TABLE customer_activity (
                store_id BIGINT NOT NULL, customer_id BIGINT NOT NULL,
                revenue_fen BIGINT NOT NULL, cost_fen BIGINT NOT NULL, visits BIGINT NOT NULL,
                last_visit INTEGER, first_visit INTEGER, year_bits BIGINT NOT NULL, quarter_bits BIGINT NOT NULL,
                PRIMARY KEY (store_id, customer_id)
            )
            """,
            """
            CREATE TABLE customer_activity_state (
                store_id BIGINT PRIMARY KEY REFERENCES stores(id), as_of TEXT NOT NULL, window_from TEXT NOT NULL,
                year_origin BIGINT NOT NULL, quarter_origin BIGINT NOT NULL, customers BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE TABLE customer_activity_dirty (store_id BIGINT NOT NULL, customer_id BIGINT NOT NULL)",
            "CREATE INDEX customer_activity_dirty_store ON customer_activity_dirty (store_id)",
            orderNotes, customerNotes,
        ]
            + statementTriggers("repair_orders", "orders_activity", "activity_orders_noted")
            + statementTriggers("customers", "customers_activity", "activity_customers_noted")
    }

    /// The three statement-level triggers of `table` named `prefix`_insert and so on, each handing
    /// `function` the rows written as transition tables.
    static func statementTriggers(_ table: String, _ prefix: String, _ function: String) -> [String] {
        [
            """
            CREATE TRIGGER \(prefix)_insert AFTER INSERT ON \(table)
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION \(function)()
            """,
            """
            CREATE TRIGGER \(prefix)_update AFTER UPDATE ON \(table)
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION \(function)()
            """,
            """
            CREATE TRIGGER \(prefix)_delete AFTER DELETE ON \(table)
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION \(function)()
            """,
        ]
    }

    /// A trigger function appending to `notes` (a table and its columns) the rows that `inserted`,
    /// `deleted` or `updated` select from the statement's transition tables (`new_rows`, `old_rows`).
    static func noteFunction(
        _ name: String, notes: String, inserted: String, deleted: String, updated: String
    ) -> String {
        """
        CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO \(notes) \(inserted);
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO \(notes) \(deleted);
            ELSE
                INSERT INTO \(notes) \(updated);
            END IF;
            RETURN NULL;
        END
        $$
        """
    }

    /// An order's customer is noted when the order comes or goes, or when what the sums read changes
    /// (its customer, day, total or cost): both the customer it left and the one it went to.
    private static let orderNotes = noteFunction(
        "activity_orders_noted", notes: "customer_activity_dirty (store_id, customer_id)",
        inserted: "SELECT DISTINCT store_id, customer_id FROM new_rows WHERE customer_id IS NOT NULL",
        deleted: "SELECT DISTINCT store_id, customer_id FROM old_rows WHERE customer_id IS NOT NULL",
        updated: """
            SELECT DISTINCT c.store_id, c.customer_id
            FROM old_rows o JOIN new_rows n ON n.store_id = o.store_id AND n.id = o.id
            CROSS JOIN LATERAL (VALUES (o.store_id, o.customer_id), (n.store_id, n.customer_id))
                AS c (store_id, customer_id)
            WHERE c.customer_id IS NOT NULL
                AND (o.customer_id, o.opened_on, o.total_fen, o.cost_fen)
                    IS DISTINCT FROM (n.customer_id, n.opened_on, n.total_fen, n.cost_fen)
            """)

    /// A customer is noted when it comes, goes, or is merged into another (or back): who is counted.
    private static let customerNotes = noteFunction(
        "activity_customers_noted", notes: "customer_activity_dirty (store_id, customer_id)",
        inserted: "SELECT store_id, id FROM new_rows", deleted: "SELECT store_id, id FROM old_rows",
        updated: """
            SELECT n.store_id, n.id FROM old_rows o JOIN new_rows n ON n.store_id = o.store_id AND n.id = o.id
            WHERE o.merged_into_id IS DISTINCT FROM n.merged_into_id
            """)
}
