import Foundation
import RevisitCore
import SQLKit

extension SQLSegmentStore {
    /// The workshop figures (DOMAIN §15) on PostgreSQL from the days kept since earlier runs
    /// (`SegmentRunSQL+WorkshopKept`): the noted days are dropped, the range's days without a row are
    /// summed from their orders, whole months' visitors are kept and the partial months' counted. With
    /// other warranty thresholds every day is summed anew. The window's distinct visitors are the
    /// activity's, set by the run. In its connection's own transaction (the rows, notes taken and
    /// thresholds agree whatever the run's fate).
    static func keptWorkshop(_ sql: SegmentRunSQL, on db: any SQLDatabase) async throws -> WorkshopMetrics {
        let kept = try await db.raw(SQLQueryString(sql.workshopState)).first()
        if try kept?.string("settings") != sql.workshopSettings {
            for statement in sql.dropWorkshop { try await db.raw(SQLQueryString(statement)).run() }
        }
        for statement in sql.takeNotes(from: "workshop_dirty", "day", "TEXT", into: "workshop_noted")
            + sql.dropNotedDays
            + [SegmentRunSQL.createWorkshopTodo, sql.findMissingDays]
        {
            try await db.raw(SQLQueryString(statement)).run()
        }
        try await db.raw("ANALYZE workshop_todo").run()
        if let todo = try await db.raw(SQLQueryString(SegmentRunSQL.countTodo)).first(), try todo.int64("n") > 31 {
            // Over many days the vehicles are hashed once; the planner's estimate looked each order's
            // vehicle up instead (1M customers, a year of orders: 5.8 s against 2.6 s for that part).
            try await db.raw("SET LOCAL enable_nestloop = off").run()
            try await db.raw("SET LOCAL work_mem = '64MB'").run()
        }
        try await db.raw(SQLQueryString(sql.sumDays)).run()
        try await db.raw(SQLQueryString(sql.sumHours)).run()
        try await db.raw(SQLQueryString(sql.saveWorkshopState)).run()
        let (whole, partial) = sql.windowMonths
        var visitors: [String: Int] = [:]
        if !whole.isEmpty {
            for row in try await db.raw(SQLQueryString(sql.keptMonths(whole))).all() {
                visitors[try row.string("month")] = Int(try row.int64("customers"))
            }
            let missing = whole.filter { visitors[$0] == nil }
            if !missing.isEmpty {
                for row in try await db.raw(SQLQueryString(sql.sumMonths(missing))).all() {
                    visitors[try row.string("month")] = Int(try row.int64("customers"))
                }
            }
        }
        if !partial.isEmpty {
            for row in try await db.raw(SQLQueryString(sql.partialMonths(partial))).all() {
                visitors[try row.string("month")] = Int(try row.int64("customers"))
            }
        }
        return try workshop(
            days: try await db.raw(SQLQueryString(sql.keptDays)).all(),
            hours: try await db.raw(SQLQueryString(sql.keptHours)).all(), visitors: visitors, sql: sql)
    }

    /// The figures from the kept days: the window's days summed by month (with the months' visitors),
    /// the last 90 days one by one, the window's orders by weekday and hour.
    private static func workshop(
        days: [any SQLRow], hours: [any SQLRow], visitors: [String: Int], sql: SegmentRunSQL
    ) throws -> WorkshopMetrics {
        let windowStart = Segmentation.windowStart(asOf: sql.asOf, settings: sql.settings)
        let recentFrom = sql.asOf.addingDays(-90)
        var months: [String: WorkshopMonth] = [:]
        var daily: [WorkshopDay] = []
        for row in days {
            guard let date = LocalDate(try row.string("day")) else { continue }
            let orders = Int(try row.int64("orders"))
            guard orders > 0 else { continue }
            if date > recentFrom {
                daily.append(WorkshopDay(date: date, customers: Int(try row.int64("customers")), orders: orders))
            }
            guard date > windowStart else { continue }
            let month = String(date.description.prefix(7))
            var sum =
                months[month]
                ?? WorkshopMonth(
                    month: month, orders: 0, customers: visitors[month] ?? 0, revenueFen: 0, inWarranty: 0,
                    outOfWarranty: 0, internalComebacks: 0, externalComebacks: 0)
            sum = WorkshopMonth(
                month: month, orders: sum.orders + orders, customers: sum.customers,
                revenueFen: sum.revenueFen + (try row.int64("revenue_fen")),
                inWarranty: sum.inWarranty + Int(try row.int64("in_warranty")),
                outOfWarranty: sum.outOfWarranty + Int(try row.int64("out_of_warranty")),
                internalComebacks: sum.internalComebacks + Int(try row.int64("internal_comebacks")),
                externalComebacks: sum.externalComebacks + Int(try row.int64("external_comebacks")))
            months[month] = sum
        }
        var byHour = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for row in hours {
            let hour = Int(try row.int64("hour"))
            guard (0..<24).contains(hour), let date = LocalDate(try row.string("day")) else { continue }
            byHour[WorkshopMetrics.weekday(date)][hour] += Int(try row.int64("orders"))
        }
        return WorkshopMetrics(
            from: windowStart, through: sql.asOf, customers: 0, months: months.values.sorted { $0.month < $1.month },
            daily: WorkshopMetrics.filledDays(daily, through: sql.asOf), byHour: byHour)
    }
}
