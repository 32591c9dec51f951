import Foundation
import RevisitCore

/// The tables of a store's dashboard, from the analytics its last run kept. Each class and stage links to
/// the customer list filtered to it.
struct StoreDashboardTables {
    let metrics: StoreMetrics
    let counts: SegmentCounts
    let storeId: Int64
    let exportPath: String
    let t: (String) -> String

    static let keys = [
        "value", "quadrant", "stages", "moves", "churn", "five_year", "cohorts", "workshop_months", "workshop_days",
        "hours", "vehicles",
    ]

    func table(_ key: String) -> DashboardTable? {
        switch key {
        case "value": classes("value", ValueClass.allCases.map(\.rawValue), counts.value, filter: "valueClass")
        case "quadrant": classes("quadrant", Quadrant.allCases.map(\.rawValue), counts.quadrant, filter: "quadrant")
        case "stages": classes("stages", ChurnStage.allCases.map(\.rawValue), counts.churnStage, filter: "churnStage")
        case "moves": moves()
        case "churn": churn("churn", metrics.churn)
        case "five_year": churn("five_year", metrics.fiveYearChurn)
        case "cohorts": cohorts()
        case "workshop_months": workshopMonths()
        case "workshop_days": workshopDays()
        case "hours": hours()
        case "vehicles": vehicles()
        default: nil
        }
    }

    func customersHref(_ filter: String, _ value: String) -> String {
        "/customers?store=\(storeId)&\(filter)=\(value)"
    }

    /// The label of a class, quadrant or stage (`value.A`, `quadrant.core`, `stages.at_risk`).
    func label(_ key: String, _ value: String) -> String { t("segment.\(key).\(value)") }

    private func make(_ key: String, _ header: [String], _ rows: [[DashboardTable.Cell]]) -> DashboardTable {
        DashboardTable(key: key, title: t("dashboard.table.\(key)"), header: header, rows: rows, exportPath: exportPath)
    }

    private func classes(_ key: String, _ names: [String], _ counts: [String: Int], filter: String) -> DashboardTable {
        let total = max(counts.values.reduce(0, +), 1)
        return make(
            key, [t("dashboard.class"), t("dashboard.customers"), t("dashboard.share")],
            names.map { name in
                let count = counts[name] ?? 0
                return [
                    .text(label(key, name), href: customersHref(filter, name)),
                    .integer(count, href: customersHref(filter, name)), .percent(Double(count) / Double(total)),
                ]
            })
    }

    private func moves() -> DashboardTable {
        var rows: [[DashboardTable.Cell]] = []
        for (key, table) in [("value", metrics.moves.value), ("stages", metrics.moves.churnStage)] {
            for from in table.keys.sorted() {
                for (to, count) in table[from]!.sorted(by: { $0.key < $1.key }) {
                    rows.append([
                        .text(t("dashboard.moves.\(key)")),
                        .text(from == "new" ? t("dashboard.moves.new") : label(key, from)), .text(label(key, to)),
                        .integer(count),
                    ])
                }
            }
        }
        return make(
            "moves",
            [t("dashboard.moves.kind"), t("dashboard.moves.from"), t("dashboard.moves.to"), t("dashboard.customers")],
            rows)
    }

    private func churn(_ key: String, _ years: [YearChurn]) -> DashboardTable {
        make(
            key,
            [
                t("dashboard.year"), t("dashboard.churn.base"), t("dashboard.churn.churned"), t("dashboard.churn.rate"),
                t("dashboard.churn.retention"), t("dashboard.churn.note"),
            ],
            years.reversed().map {
                [
                    .text(String($0.year)), .integer($0.base), .integer($0.churned), .percent($0.rate),
                    .percent($0.retention), .text($0.partial ? t("dashboard.churn.partial") : ""),
                ]
            })
    }

    private func cohorts() -> DashboardTable {
        let width = metrics.cohorts.map(\.retained.count).max() ?? 1
        return make(
            "cohorts",
            [t("dashboard.cohort.quarter"), t("dashboard.customers")] + (1..<max(width, 1)).map { "+\($0)Q" },
            metrics.cohorts.map { row in
                [.text(row.quarter), .integer(row.customers)]
                    + (1..<max(width, 1)).map { $0 < row.shares.count ? .percent(row.shares[$0]) : .text("") }
            })
    }

    private func workshopMonths() -> DashboardTable {
        make(
            "workshop_months",
            [
                t("dashboard.month"), t("dashboard.orders"), t("dashboard.customers"), t("dashboard.revenue"),
                t("dashboard.average_ticket"), t("dashboard.in_warranty_share"), t("dashboard.internal_comebacks"),
                t("dashboard.external_comebacks"),
            ],
            metrics.workshop.monthly.map { month in
                [
                    .text(month.month), .integer(month.orders), .integer(month.customers),
                    .yuan(Double(month.revenueFen) / 100), .yuan(Double(month.averageTicketFen) / 100),
                    .percent(month.orders > 0 ? Double(month.inWarranty) / Double(month.orders) : nil),
                    .integer(month.internalComebacks), .integer(month.externalComebacks),
                ]
            })
    }

    private func workshopDays() -> DashboardTable {
        make(
            "workshop_days", [t("dashboard.day"), t("dashboard.customers"), t("dashboard.orders")],
            metrics.workshop.daily.reversed().map {
                [.text($0.date.description), .integer($0.customers), .integer($0.orders)]
            }
        )
    }

    private func hours() -> DashboardTable {
        make(
            "hours", [t("dashboard.weekday")] + (0..<24).map { String(format: "%02d", $0) },
            metrics.workshop.byHour.enumerated().map { day, counts in
                [.text(t("weekday.\(day)"))] + counts.map { .integer($0) }
            })
    }

    private func vehicles() -> DashboardTable {
        let statuses = WarrantyStatus.allCases.map(\.rawValue)
        return make(
            "vehicles", [t("dashboard.age_band")] + statuses.map { t("warranty.\($0)") } + [t("dashboard.total")],
            AgeBand.allCases.map { band in
                let counts = metrics.vehicles[band.rawValue] ?? [:]
                return [.text(t("age_band.\(band.rawValue)"))] + statuses.map { .integer(counts[$0] ?? 0) }
                    + [.integer(counts.values.reduce(0, +))]
            })
    }
}
