import Foundation
import RevisitCore

/// `SegmentRunSQL.activity` summed in Swift from one pass over the store's repair orders, on SQLite's
/// direct connection; the same pass sums the workshop figures (`SQLiteWorkshopTally`). The SQL form costs SQLite half a microsecond or more per order in expression
/// evaluation (the window tests, the bit sets) on top of the join; read in table order with the day
/// parsed from its bytes, the same sums cost a fifth of that. The rules are the SQL's: an order counts at
/// its open day, within (window start, as-of]; nothing after the as-of day; merged-away customers are
/// not customers. A test compares both with an independent computation on the same rows.
struct SQLiteActivityScan {
    let sql: SegmentRunSQL

    /// Every live customer's activity in id order, and the workshop figures from the same pass.
    func read(
        _ db: SQLiteReader.Connection, vehicles: SQLiteVehicleScan
    ) throws -> (activities: [CustomerActivity], workshop: WorkshopMetrics) {
        var ids: [Int64] = []
        try db.scan(
            "SELECT id FROM customers WHERE store_id = ? AND merged_into_id IS NULL ORDER BY id", [.int(sql.storeId)]
        ) { ids.append($0.int64(0)) }
        let slots = SQLiteSlots(ids)
        var sums = Sums(count: ids.count)
        var workshop = SQLiteWorkshopTally(sql: sql)
        let window = Self.key(Segmentation.windowStart(asOf: sql.asOf, settings: sql.settings))
        let through = Self.key(sql.asOf)
        let firstYear = Int32(VisitBits.firstYear(asOf: sql.asOf))
        let firstQuarter = Int32(VisitBits.firstQuarter(asOf: sql.asOf))
        try db.scan(
            """
            SELECT customer_id, opened_on, total_fen, cost_fen, vehicle_id, opened_minute, mileage_in,
                internal_comeback, external_comeback
            FROM repair_orders WHERE store_id = ?
            """,
            [.int(sql.storeId)]
        ) { row in
            let day = row.day(1)
            guard day > 0, day <= through else { return }
            let customer: Int64? = row.isNull(0) ? nil : row.int64(0)
            let total = row.int64(2)
            workshop.add(row, day: day, customer: customer, total: total, vehicles: vehicles)
            guard let customer, let slot = slots.slot(customer) else { return }
            if day > window {
                sums.revenue[slot] += total
                sums.cost[slot] += row.int64(3)
                sums.visits[slot] += 1
            }
            if day > sums.last[slot] { sums.last[slot] = day }
            if day < sums.first[slot] { sums.first[slot] = day }
            let year = day / 10_000
            let yearBit = year - firstYear
            if yearBit >= 0 && yearBit < Int32(VisitBits.years) { sums.years[slot] |= Int64(1) << Int64(yearBit) }
            let quarterBit = year * 4 + (day / 100 % 100 - 1) / 3 - firstQuarter
            if quarterBit >= 0 && quarterBit < Int32(VisitBits.quarters) {
                sums.quarters[slot] |= Int64(1) << Int64(quarterBit)
            }
        }
        let activities = ids.indices.map { slot in
            CustomerActivity(
                customerId: ids[slot], windowRevenueFen: sums.revenue[slot], windowCostFen: sums.cost[slot],
                windowVisits: Int(sums.visits[slot]), lastVisit: Self.date(sums.last[slot]),
                firstVisit: Self.date(sums.first[slot]), yearBits: sums.years[slot], quarterBits: sums.quarters[slot])
        }
        return (activities, workshop.metrics(customers: activities.count { $0.windowVisits > 0 }))
    }

    /// Per-customer sums, one array each, indexed by the customer's slot.
    struct Sums {
        var revenue: [Int64]
        var cost: [Int64]
        var visits: [Int32]
        var last: [Int32]
        var first: [Int32]
        var years: [Int64]
        var quarters: [Int64]

        init(count: Int) {
            revenue = Array(repeating: 0, count: count)
            cost = revenue
            visits = Array(repeating: 0, count: count)
            last = visits
            first = Array(repeating: Int32.max, count: count)
            years = revenue
            quarters = revenue
        }
    }

    /// A day as the number YYYYMMDD, as `RawRow.day` reads it.
    static func key(_ date: LocalDate) -> Int32 { Int32(date.year * 10_000 + date.month * 100 + date.day) }

    static func date(_ key: Int32) -> LocalDate? {
        guard key > 0, key != Int32.max else { return nil }
        return LocalDate(year: Int(key / 10_000), month: Int(key / 100 % 100), day: Int(key % 100))
    }
}
