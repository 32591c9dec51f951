import Foundation
import RevisitCore
import Synchronization

/// `SegmentRunSQL.activity` summed in Swift from one pass over the store's repair orders, on SQLite's
/// direct connection, split between two threads on one snapshot; the same pass sums the workshop figures
/// (`SQLiteWorkshopTally`). The SQL form costs SQLite half a microsecond or more per order in expression
/// evaluation (the window tests, the bit sets) on top of the join; read in table order with the day
/// parsed from its bytes, the same sums cost a fifth of that. The rules are the SQL's: an order counts at
/// its open day, within (window start, as-of]; nothing after the as-of day; merged-away customers are
/// not customers. A test compares both with an independent computation on the same rows.
struct SQLiteActivityScan {
    let sql: SegmentRunSQL
    /// The store's live customers in id order: a customer's slot is its place here.
    let ids: [Int64]
    let slots: SQLiteSlots
    let vehicles: SQLiteVehicleScan
    /// The orders' rowids cut in ranges that two threads take in turn (`Chunks`), so the one that started
    /// later or ran slower simply takes fewer.
    let ranges: [Range<Int64>]

    init(sql: SegmentRunSQL, vehicles: SQLiteVehicleScan, on db: SQLiteReader.Connection) throws {
        self.sql = sql
        self.vehicles = vehicles
        var ids: [Int64] = []
        try db.scan(
            "SELECT id FROM customers WHERE store_id = ? AND merged_into_id IS NULL ORDER BY id", [.int(sql.storeId)]
        ) { ids.append($0.int64(0)) }
        self.ids = ids
        slots = SQLiteSlots(ids)
        var bounds: (low: Int64, high: Int64) = (0, -1)
        try db.scan("SELECT MIN(rowid), MAX(rowid) FROM repair_orders", []) { row in
            if !row.isNull(0) { bounds = (row.int64(0), row.int64(1)) }
        }
        let step = max((bounds.high - bounds.low + 1) / Int64(Self.rangeCount), 1)
        var ranges: [Range<Int64>] = []
        var low = bounds.low
        while low <= bounds.high {
            ranges.append(low..<min(low + step, bounds.high + 1))
            low += step
        }
        self.ranges = ranges
    }

    static let rangeCount = 16

    /// The next range to read, for whichever thread asks first.
    final class Chunks: Sendable {
        private let next = Mutex(0)
        func take() -> Int {
            next.withLock { taken in
                defer { taken += 1 }; return taken
            }
        }
    }

    /// What one thread summed over the ranges it took.
    struct Partial {
        var sums: Sums
        var workshop: SQLiteWorkshopTally

        mutating func add(_ other: Partial) {
            sums.add(other.sums)
            workshop.add(other.workshop)
        }
    }

    /// Reads ranges of the orders until none is left.
    func scan(_ chunks: Chunks, on db: SQLiteReader.Connection) throws -> Partial {
        var sums = Sums(count: ids.count)
        var workshop = SQLiteWorkshopTally(sql: sql)
        let window = Self.key(Segmentation.windowStart(asOf: sql.asOf, settings: sql.settings))
        let through = Self.key(sql.asOf)
        let firstYear = Int32(VisitBits.firstYear(asOf: sql.asOf))
        let firstQuarter = Int32(VisitBits.firstQuarter(asOf: sql.asOf))
        while case let index = chunks.take(), index < ranges.count {
            // In rowid order, not through an index: the rows are read where they lie.
            try db.scan(
                """
                SELECT customer_id, opened_on, total_fen, cost_fen, vehicle_id, opened_minute, mileage_in,
                    internal_comeback, external_comeback
                FROM repair_orders NOT INDEXED WHERE rowid >= ? AND rowid < ? AND store_id = ?
                """,
                [.int(ranges[index].lowerBound), .int(ranges[index].upperBound), .int(sql.storeId)]
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
                if yearBit >= 0 && yearBit < Int32(VisitBits.years) {
                    sums.years[slot] |= Int64(1) << Int64(yearBit)
                }
                let quarterBit = year * 4 + (day / 100 % 100 - 1) / 3 - firstQuarter
                if quarterBit >= 0 && quarterBit < Int32(VisitBits.quarters) {
                    sums.quarters[slot] |= Int64(1) << Int64(quarterBit)
                }
            }
        }
        return Partial(sums: sums, workshop: workshop)
    }

    /// Every live customer's activity in id order, and the workshop figures, from all the ranges' sums.
    func finish(_ partial: Partial) -> (activities: [CustomerActivity], workshop: WorkshopMetrics) {
        let sums = partial.sums
        let activities = ids.indices.map { slot in
            CustomerActivity(
                customerId: ids[slot], windowRevenueFen: sums.revenue[slot], windowCostFen: sums.cost[slot],
                windowVisits: Int(sums.visits[slot]), lastVisit: Self.date(sums.last[slot]),
                firstVisit: Self.date(sums.first[slot]), yearBits: sums.years[slot], quarterBits: sums.quarters[slot])
        }
        return (activities, partial.workshop.metrics(customers: activities.count { $0.windowVisits > 0 }))
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

        mutating func add(_ other: Sums) {
            for slot in revenue.indices {
                revenue[slot] += other.revenue[slot]
                cost[slot] += other.cost[slot]
                visits[slot] += other.visits[slot]
                last[slot] = max(last[slot], other.last[slot])
                first[slot] = min(first[slot], other.first[slot])
                years[slot] |= other.years[slot]
                quarters[slot] |= other.quarters[slot]
            }
        }
    }

    /// A day as the number YYYYMMDD, as `RawRow.day` reads it.
    static func key(_ date: LocalDate) -> Int32 { Int32(date.year * 10_000 + date.month * 100 + date.day) }

    static func date(_ key: Int32) -> LocalDate? {
        guard key > 0, key != Int32.max else { return nil }
        return LocalDate(year: Int(key / 10_000), month: Int(key / 100 % 100), day: Int(key % 100))
    }
}
