import Foundation
import PostgresNIO
import RevisitCore

/// The statements that keep `customer_activity` (PostgreSQL; M0016) as of a run's day: every customer's
/// sums anew, the noted customers' sums anew, or the others' sums moved from the kept day to this one by
/// the orders that entered or left the window. Visited years and quarters are kept as bits counted from
/// the origins of the last full sum, and shifted to this run's `VisitBits` origins when read.
extension SegmentRunSQL {
    /// The kept sums' day, window and bit origins, locked for the run's transaction.
    var activityState: String {
        """
        SELECT as_of, window_from, year_origin, quarter_origin, customers FROM customer_activity_state
        WHERE store_id = \(storeId) FOR UPDATE
        """
    }

    static let activityColumns =
        "store_id, customer_id, revenue_fen, cost_fen, visits, last_visit, first_visit, year_bits, quarter_bits"

    /// The store's notes taken off the shared list `notes` into `scratch`, a list of distinct `column`
    /// values (of SQL type `type`) gone at commit: what the kept customers, vehicles and days read.
    func takeNotes(from notes: String, _ column: String, _ type: String, into scratch: String) -> [String] {
        [
            "CREATE TEMP TABLE \(scratch) (\(column) \(type) PRIMARY KEY) ON COMMIT DROP",
            """
            WITH taken AS (DELETE FROM \(notes) WHERE store_id = \(storeId) RETURNING \(column))
            INSERT INTO \(scratch) SELECT DISTINCT \(column) FROM taken
            """,
        ]
    }

    /// A 'YYYY-MM-DD' text as `LocalDate.dayNumber`: the kept sums hold days as numbers, so reading a
    /// million of them parses none (two casts per customer cost 0.26 s at 1M).
    static func dayNumber(_ text: String) -> String { "CAST(CAST(\(text) AS DATE) - DATE '1970-01-01' AS INTEGER)" }

    static let countNoted = "SELECT COUNT(*) AS n FROM activity_noted"

    var dropKept: String { "DELETE FROM customer_activity WHERE store_id = \(storeId)" }

    /// One customer's sums over the orders `o` that DOMAIN §3 ranks by: orders count at their open date;
    /// the window is (as-of − window, as-of]; nothing after the as-of day counts (the callers' filter).
    /// With them what the store analytics need: the first visit and the visited years and quarters as
    /// `VisitBits` sets counted from `origins`. SQLite sums the same in `SQLiteActivityScan`.
    func sums(_ origins: VisitOrigins) -> String {
        let inWindow = "FILTER (WHERE o.opened_on > \(windowFrom))"
        return """
            CAST(SUM(o.total_fen) \(inWindow) AS BIGINT) AS revenue,
            CAST(SUM(o.cost_fen) \(inWindow) AS BIGINT) AS cost,
            COUNT(*) \(inWindow) AS visits,
            \(Self.dayNumber("MAX(o.opened_on)")) AS last_visit, \(Self.dayNumber("MIN(o.opened_on)")) AS first_visit,
            \(origins.bits())
            """
    }

    /// Every live customer's sums from all the store's orders: the orders grouped alone and joined to
    /// the customers after (grouped after the join, every order travelled through it: 1.04 s against
    /// 0.65 s at 100k customers).
    func sumAll(_ origins: VisitOrigins) -> String {
        """
        INSERT INTO customer_activity (\(Self.activityColumns))
        SELECT \(storeId), c.id, COALESCE(a.revenue, 0), COALESCE(a.cost, 0), COALESCE(a.visits, 0), a.last_visit,
            a.first_visit, COALESCE(a.year_bits, 0), COALESCE(a.quarter_bits, 0)
        FROM customers c
        LEFT JOIN (
            SELECT o.customer_id, \(sums(origins))
            FROM repair_orders o
            WHERE o.store_id = \(storeId) AND o.customer_id IS NOT NULL AND o.opened_on <= \(through)
            GROUP BY o.customer_id
        ) a ON a.customer_id = c.id
        WHERE c.store_id = \(storeId) AND c.merged_into_id IS NULL
        """
    }

    /// The noted customers' rows removed, and summed anew from their own orders (by the customer index)
    /// for those still live.
    var dropNoted: String {
        """
        DELETE FROM customer_activity a USING activity_noted n
        WHERE a.store_id = \(storeId) AND a.customer_id = n.customer_id
        """
    }

    func sumNoted(_ origins: VisitOrigins) -> String {
        """
        INSERT INTO customer_activity (\(Self.activityColumns))
        SELECT \(storeId), c.id, COALESCE(a.revenue, 0), COALESCE(a.cost, 0), a.visits, a.last_visit, a.first_visit,
            COALESCE(a.year_bits, 0), COALESCE(a.quarter_bits, 0)
        FROM activity_noted n
        JOIN customers c ON c.store_id = \(storeId) AND c.id = n.customer_id AND c.merged_into_id IS NULL
        CROSS JOIN LATERAL (
            SELECT \(sums(origins)) FROM repair_orders o
            WHERE o.store_id = \(storeId) AND o.customer_id = c.id AND o.opened_on <= \(through)
        ) a
        """
    }

    /// The other customers' sums moved from the kept day and window to this run's: only orders whose
    /// day lies between the two window starts or between the two days can count differently, and each
    /// adds what it counts now less what it counted then. Years and quarters only gain visits (the day
    /// only moves forward here), and the last and first visits only gain the days that entered.
    func moveKept(from kept: ActivityState, _ origins: VisitOrigins) -> String {
        let oldFrom = kept.windowFrom.description
        let newFrom = Segmentation.windowStart(asOf: asOf, settings: settings).description
        let oldThrough = kept.asOf.description
        let newThrough = asOf.description
        let now = "(o.opened_on > '\(newFrom)' AND o.opened_on <= '\(newThrough)')"
        let then = "(o.opened_on > '\(oldFrom)' AND o.opened_on <= '\(oldThrough)')"
        let entered = "(o.opened_on > '\(oldThrough)' AND o.opened_on <= '\(newThrough)')"
        func change(_ value: String) -> String {
            "CAST(SUM(CASE WHEN \(now) THEN \(value) ELSE 0 END - CASE WHEN \(then) THEN \(value) ELSE 0 END) AS BIGINT)"
        }
        return """
            UPDATE customer_activity a SET revenue_fen = a.revenue_fen + d.revenue, cost_fen = a.cost_fen + d.cost,
                visits = a.visits + d.visits, last_visit = GREATEST(a.last_visit, d.last_visit),
                first_visit = LEAST(a.first_visit, d.first_visit), year_bits = a.year_bits | d.year_bits,
                quarter_bits = a.quarter_bits | d.quarter_bits
            FROM (
                SELECT o.customer_id, \(change("o.total_fen")) AS revenue, \(change("o.cost_fen")) AS cost,
                    \(change("1")) AS visits,
                    \(Self.dayNumber("MAX(o.opened_on) FILTER (WHERE \(entered))")) AS last_visit,
                    \(Self.dayNumber("MIN(o.opened_on) FILTER (WHERE \(entered))")) AS first_visit,
                    \(origins.bits(only: entered))
                FROM repair_orders o
                WHERE o.store_id = \(storeId) AND o.customer_id IS NOT NULL
                    AND ((o.opened_on > '\(min(oldFrom, newFrom))' AND o.opened_on <= '\(max(oldFrom, newFrom))')
                        OR \(entered))
                    AND NOT EXISTS (SELECT 1 FROM activity_noted n WHERE n.customer_id = o.customer_id)
                GROUP BY o.customer_id
            ) d
            WHERE a.store_id = \(storeId) AND a.customer_id = d.customer_id
            """
    }

    func saveState(_ origins: VisitOrigins) -> String {
        let from = Segmentation.windowStart(asOf: asOf, settings: settings).description
        return """
            INSERT INTO customer_activity_state (store_id, as_of, window_from, year_origin, quarter_origin)
            VALUES (\(storeId), \(through), '\(from)', \(origins.year), \(origins.quarter))
            ON CONFLICT (store_id) DO UPDATE SET as_of = excluded.as_of, window_from = excluded.window_from,
                year_origin = excluded.year_origin, quarter_origin = excluded.quarter_origin
            """
    }

    /// How many customers the kept sums had when last read: what the notes are weighed against.
    func saveCount(_ customers: Int) -> String {
        "UPDATE customer_activity_state SET customers = \(customers) WHERE store_id = \(storeId)"
    }

    /// The kept sums beside the last run's classes, customer by customer in customer order, as numbers
    /// only: days as day numbers (`LocalDate.dayNumber`), the bits shifted to this run's origins, the
    /// classes packed into one number (`KeptClasses`). Either side is null where the other has a
    /// customer it lacks. Read as two lists of text and numbers, a million customers' run took 3.8–3.9 s
    /// of the client's CPU (its decoding all on one event loop thread); as one list of numbers, 2.7–2.9 s.
    ///
    /// Both sides are read in key order through their primary keys and merged (`mergedRead`), so rows
    /// stream to the client as the join makes them; hashed and then sorted, none came before the sort had
    /// seen them all. The order is not asked for: `KeyedChanges` checks it, and sorts should a plan ever
    /// give another.
    func readKept(_ origins: VisitOrigins) -> String {
        """
        SELECT a.customer_id, a.revenue_fen, a.cost_fen, a.visits, a.last_visit, a.first_visit,
            a.year_bits >> \(VisitBits.firstYear(asOf: asOf) - origins.year),
            a.quarter_bits >> \(VisitBits.firstQuarter(asOf: asOf) - origins.quarter),
            s.customer_id, \(KeptClasses.packed), \(Self.dayNumber("s.last_visit"))
        FROM (SELECT * FROM customer_activity WHERE store_id = \(storeId) ORDER BY customer_id) a
        FULL JOIN (SELECT * FROM customer_segments WHERE store_id = \(storeId) ORDER BY customer_id) s
            ON s.customer_id = a.customer_id
        """
    }

    /// The planner prices a hash join below the merge of two index scans (it cannot know the rows are
    /// wanted as they come); for the rest of the activity's transaction, which joins nothing after it.
    static let mergedRead = "SET LOCAL enable_hashjoin = off"

    /// A row of `readKept`: the customer's activity, and the classes the last run kept (nil when it kept
    /// none, or a class this build does not know: the run then writes the customer anew).
    static func keptRow(_ row: PostgresRow) throws -> (CustomerActivity?, StoredSegment?) {
        var cells = PostgresCells(row)
        let customer = try cells.next(Int64?.self)
        let revenue = try cells.next(Int64?.self)
        let cost = try cells.next(Int64?.self)
        let visits = try cells.next(Int64?.self)
        let last = try cells.next(Int32?.self)
        let first = try cells.next(Int32?.self)
        let years = try cells.next(Int64?.self)
        let quarters = try cells.next(Int64?.self)
        let activity = customer.map {
            CustomerActivity(
                customerId: $0, windowRevenueFen: revenue ?? 0, windowCostFen: cost ?? 0,
                windowVisits: Int(visits ?? 0), lastVisit: last.map { LocalDate(dayNumber: Int($0)) },
                firstVisit: first.map { LocalDate(dayNumber: Int($0)) }, yearBits: years ?? 0,
                quarterBits: quarters ?? 0)
        }
        let keptCustomer = try cells.next(Int64?.self)
        let packed = try cells.next(Int64?.self)
        let keptLast = try cells.next(Int32?.self)
        guard let keptCustomer, let packed, let classes = KeptClasses(packed) else { return (activity, nil) }
        return (
            activity,
            StoredSegment(
                customerId: keptCustomer, value: classes.value, quadrant: classes.quadrant, rfm: classes.rfm,
                churnStage: classes.stage, lastVisit: keptLast.map { LocalDate(dayNumber: Int($0)) })
        )
    }
}

/// A customer's kept classes as one number, so the run's read carries no text: the value class, quadrant
/// and churn stage by their place in `allCases`, and the RFM scores, each in its own bits.
struct KeptClasses {
    let value: ValueClass
    let quadrant: Quadrant
    let rfm: RFMScore
    let stage: ChurnStage

    /// The SQL over `customer_segments s` that packs them; null when a class is unknown here.
    static var packed: String {
        func place<Case: RawRepresentable<String>>(_ column: String, _ cases: [Case]) -> String {
            "CASE \(column) "
                + cases.enumerated().map { "WHEN '\($1.rawValue)' THEN \($0)" }.joined(separator: " ") + " END"
        }
        return """
            (\(place("s.value_class", ValueClass.allCases)) + 4 * \(place("s.quadrant", Quadrant.allCases))
                + 16 * s.rfm_r + 128 * s.rfm_f + 1024 * s.rfm_m + 8192 * \(place("s.churn_stage", ChurnStage.allCases)))
            """
    }

    init?(_ packed: Int64) {
        let number = Int(packed)
        guard number >= 0, number % 4 < ValueClass.allCases.count, number / 4 % 4 < Quadrant.allCases.count,
            number / 8192 < ChurnStage.allCases.count
        else { return nil }
        value = ValueClass.allCases[number % 4]
        quadrant = Quadrant.allCases[number / 4 % 4]
        rfm = RFMScore(r: number / 16 % 8, f: number / 128 % 8, m: number / 1024 % 8)
        stage = ChurnStage.allCases[number / 8192]
    }
}

/// The year and quarter that bit 0 of the kept bit sets stands for.
struct VisitOrigins: Equatable {
    let year: Int
    let quarter: Int

    /// This run's own origins (`VisitBits`).
    init(asOf: LocalDate) {
        year = VisitBits.firstYear(asOf: asOf)
        quarter = VisitBits.firstQuarter(asOf: asOf)
    }

    init(year: Int, quarter: Int) {
        self.year = year
        self.quarter = quarter
    }

    /// Whether sets counted from here still hold `asOf`'s year and quarter below the sign bit.
    func hold(_ asOf: LocalDate) -> Bool {
        asOf.year - year <= 62 && CohortRetention.quarterIndex(asOf) - quarter <= 62
            && year <= VisitBits.firstYear(asOf: asOf) && quarter <= VisitBits.firstQuarter(asOf: asOf)
    }

    /// The visited years' and quarters' bit sets over the orders `o` (those of `only`, when given).
    func bits(only: String? = nil) -> String {
        let yearOf = "CAST(left(o.opened_on, 4) AS INTEGER)"
        let quarterOf = "(\(yearOf) * 4 + (CAST(substr(o.opened_on, 6, 2) AS INTEGER) - 1) / 3)"
        let quarterStart = String(format: "%04d-%02d-01", quarter / 4, quarter % 4 * 3 + 1)
        let and = only.map { " AND \($0)" } ?? ""
        return """
            COALESCE(bit_or(CAST(1 AS BIGINT) << (\(yearOf) - \(year)))
                FILTER (WHERE o.opened_on >= '\(String(format: "%04d", max(year, 0)))'\(and)), 0) AS year_bits,
            COALESCE(bit_or(CAST(1 AS BIGINT) << (\(quarterOf) - \(quarter)))
                FILTER (WHERE o.opened_on >= '\(quarterStart)'\(and)), 0) AS quarter_bits
            """
    }
}

/// What `customer_activity_state` holds for a store.
struct ActivityState: Equatable {
    let asOf: LocalDate
    let windowFrom: LocalDate
    let origins: VisitOrigins
    let customers: Int
}
