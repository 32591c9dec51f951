import Foundation
import RevisitCore

/// The statements that keep the workshop figures by day (PostgreSQL; M0018). A day's figures depend
/// only on that day's orders, their vehicles and the warranty thresholds, not on the as-of day, so a
/// run computes the days of its range that have no kept row (new days, and days noted since) and reads
/// the rest. Visitors are distinct customers and do not add up across days: those of whole months inside
/// the window are kept too, those of the two partial months at its ends are counted each run.
extension SegmentRunSQL {
    /// The warranty thresholds the kept days' split depends on.
    var workshopSettings: String { "\(settings.warrantyMonths)|\(settings.warrantyKm)" }

    /// The days a run reads: the window's and the last 90 days, after `workshopFrom`, up to the as-of day.
    var workshopFrom: LocalDate {
        min(asOf.addingDays(-90), Segmentation.windowStart(asOf: asOf, settings: settings))
    }

    var workshopState: String { "SELECT settings FROM workshop_state WHERE store_id = \(storeId) FOR UPDATE" }

    var dropWorkshop: [String] {
        ["workshop_days", "workshop_hours", "workshop_months"].map { "DELETE FROM \($0) WHERE store_id = \(storeId)" }
    }

    /// The noted days' rows, and their months' visitors, are gone: they are computed again when read.
    var dropNotedDays: [String] {
        [
            "DELETE FROM workshop_days w USING workshop_noted n WHERE w.store_id = \(storeId) AND w.day = n.day",
            "DELETE FROM workshop_hours w USING workshop_noted n WHERE w.store_id = \(storeId) AND w.day = n.day",
            """
            DELETE FROM workshop_months WHERE store_id = \(storeId)
                AND month IN (SELECT DISTINCT left(day, 7) FROM workshop_noted)
            """,
        ]
    }

    /// The range's days without a kept row, in a scratch list gone at commit.
    static let createWorkshopTodo = "CREATE TEMP TABLE workshop_todo (day TEXT PRIMARY KEY) ON COMMIT DROP"

    var findMissingDays: String {
        """
        INSERT INTO workshop_todo
        SELECT d.day FROM (
            SELECT to_char(g, 'YYYY-MM-DD') AS day
            FROM generate_series(DATE '\(workshopFrom.addingDays(1))', DATE '\(asOf)', INTERVAL '1 day') g
        ) d
        WHERE NOT EXISTS (SELECT 1 FROM workshop_days w WHERE w.store_id = \(storeId) AND w.day = d.day)
        """
    }

    static let countTodo = "SELECT COUNT(*) AS n FROM workshop_todo"

    /// Each listed day's figures, a row even for a day without orders (the row says it was computed); the
    /// warranty status is the vehicle's on the order's day at the order's mileage.
    var sumDays: String {
        let status = warranty(day: "o.opened_on", dayKey: Self.monthDayKey("o.opened_on"), km: "o.mileage_in")
        return """
            INSERT INTO workshop_days (store_id, day, orders, customers, revenue_fen, in_warranty, out_of_warranty,
                internal_comebacks, external_comebacks)
            SELECT \(storeId), d.day, COUNT(o.id), COUNT(DISTINCT o.customer_id), COALESCE(SUM(o.total_fen), 0),
                COUNT(*) FILTER (WHERE o.status = 'in_warranty'), COUNT(*) FILTER (WHERE o.status = 'out_of_warranty'),
                COALESCE(SUM(o.internal_comeback), 0), COALESCE(SUM(o.external_comeback), 0)
            FROM workshop_todo d
            LEFT JOIN (
                SELECT o.id, o.opened_on, o.customer_id, o.total_fen, o.internal_comeback, o.external_comeback,
                    \(status) AS status
                FROM repair_orders o LEFT JOIN vehicles v ON v.store_id = o.store_id AND v.id = o.vehicle_id
                WHERE o.store_id = \(storeId) AND o.opened_on IN (SELECT day FROM workshop_todo)
            ) o ON o.opened_on = d.day
            GROUP BY d.day
            """
    }

    /// Each listed day's orders by the hour they were opened, where the time is known.
    var sumHours: String {
        """
        INSERT INTO workshop_hours (store_id, day, hour, orders)
        SELECT \(storeId), o.opened_on, o.opened_minute / 60, COUNT(*) FROM repair_orders o
        WHERE o.store_id = \(storeId) AND o.opened_on IN (SELECT day FROM workshop_todo)
            AND o.opened_minute IS NOT NULL
        GROUP BY o.opened_on, o.opened_minute / 60
        """
    }

    /// The window's months: those wholly inside it, whose visitors are kept, and the partial ones at its
    /// ends, counted each run.
    var windowMonths: (whole: [String], partial: [(month: String, from: String, through: String)]) {
        let windowStart = Segmentation.windowStart(asOf: asOf, settings: settings)
        var whole: [String] = []
        var partial: [(month: String, from: String, through: String)] = []
        var first = LocalDate(year: windowStart.addingDays(1).year, month: windowStart.addingDays(1).month, day: 1)!
        while first <= asOf {
            let last = first.addingMonths(1).addingDays(-1)
            let month = String(first.description.prefix(7))
            if first > windowStart && last <= asOf {
                whole.append(month)
            } else {
                partial.append((month, max(first.addingDays(-1), windowStart).description, min(last, asOf).description))
            }
            first = first.addingMonths(1)
        }
        return (whole, partial)
    }

    func keptMonths(_ months: [String]) -> String {
        """
        SELECT month, customers FROM workshop_months
        WHERE store_id = \(storeId) AND month IN (\(months.map { "'\($0)'" }.joined(separator: ", ")))
        """
    }

    /// Visitors of whole months not kept, kept now (a row even for a month without orders).
    func sumMonths(_ months: [String]) -> String {
        """
        INSERT INTO workshop_months (store_id, month, customers)
        SELECT \(storeId), m.month, COUNT(DISTINCT o.customer_id)
        FROM (VALUES \(months.map { "('\($0)')" }.joined(separator: ", "))) AS m (month)
        LEFT JOIN repair_orders o ON o.store_id = \(storeId)
            AND o.opened_on >= m.month || '-01' AND o.opened_on <= m.month || '-31'
        GROUP BY m.month
        RETURNING month, customers
        """
    }

    /// Visitors of the partial months, each over its days inside the window.
    func partialMonths(_ months: [(month: String, from: String, through: String)]) -> String {
        months.map { month in
            """
            SELECT '\(month.month)' AS month, COUNT(DISTINCT customer_id) AS customers FROM repair_orders
            WHERE store_id = \(storeId) AND opened_on > '\(month.from)' AND opened_on <= '\(month.through)'
            """
        }.joined(separator: "\nUNION ALL\n")
    }

    var keptDays: String {
        """
        SELECT day, orders, customers, revenue_fen, in_warranty, out_of_warranty, internal_comebacks,
            external_comebacks
        FROM workshop_days WHERE store_id = \(storeId) AND day > '\(workshopFrom)' AND day <= \(through)
        """
    }

    var keptHours: String {
        """
        SELECT day, hour, orders FROM workshop_hours
        WHERE store_id = \(storeId) AND day > \(windowFrom) AND day <= \(through)
        """
    }

    var saveWorkshopState: String {
        """
        INSERT INTO workshop_state (store_id, settings) VALUES (\(storeId), '\(workshopSettings)')
        ON CONFLICT (store_id) DO UPDATE SET settings = excluded.settings
        """
    }
}
