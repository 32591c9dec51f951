import Foundation
import RevisitCore
import RevisitStorage

/// A store's dashboard: key figures, then each chart with its table. Built only from the last run's
/// analytics, so it answers in one read whatever the store's size.
struct StoreDashboardPage {
    struct Figure {
        let label: String
        let value: String
        let note: String
    }

    /// A chart and the table it draws, side by side on the page.
    struct Section {
        let id: String
        let title: String
        let chart: String
        /// Stored for the template, which cannot test a string for emptiness.
        let hasChart: Bool
        let table: DashboardTable

        init(id: String, title: String, chart: String, table: DashboardTable) {
            self.id = id
            self.title = title
            self.chart = chart
            hasChart = !chart.isEmpty
            self.table = table
        }
    }

    let storeName: String
    let hasRun: Bool
    let runInfo: String
    let canRun: Bool
    let runAction: String
    let csrf: String
    let canExport: Bool
    let segmentsHref: String
    let lifetimeHref: String
    let figures: [Figure]
    let sections: [Section]

    init(
        store: Store, latest: StoreRunMetrics?, canRun: Bool, canExport: Bool, csrf: String,
        t: @escaping (String) -> String, format: (String, [String: String]) -> String
    ) {
        storeName = "\(store.code) \(store.name)"
        hasRun = latest != nil
        self.canRun = canRun
        runAction = Paths.storeSegmentRun(store.id)
        self.csrf = csrf
        self.canExport = canExport
        segmentsHref = Paths.storeSegments(store.id)
        lifetimeHref = Paths.storeLifetimeValue(store.id)
        guard let latest else {
            runInfo = ""
            figures = []
            sections = []
            return
        }
        let run = latest.run
        let metrics = latest.metrics
        runInfo = format(
            "dashboard.run_info",
            [
                "asOf": run.asOf.description, "at": DisplayFormat.instant(run.startedAt, timeZone: store.timeZone),
                "trigger": t("segment.trigger.\(run.trigger.rawValue)"), "ms": NumberText.integer(Int(run.durationMs)),
            ])
        let complete = metrics.churn.last { !$0.partial }
        // Five years of history are rare in a young store: show the running year's figure, marked so.
        let fiveYear = metrics.fiveYearChurn.last { !$0.partial } ?? metrics.fiveYearChurn.last
        figures = [
            Figure(label: t("dashboard.figure.customers"), value: NumberText.integer(run.counts.customers), note: ""),
            Figure(
                label: t("dashboard.figure.churn"), value: complete?.rate.map(NumberText.percent) ?? "—",
                note: complete.map { String($0.year) } ?? ""),
            Figure(
                label: t("dashboard.figure.retention"), value: complete?.retention.map(NumberText.percent) ?? "—",
                note: complete.map { String($0.year) } ?? ""),
            Figure(
                label: t("dashboard.figure.five_year"), value: fiveYear?.rate.map(NumberText.percent) ?? "—",
                note: fiveYear.map {
                    "\($0.year - 5)→\($0.year)" + ($0.partial ? " · " + t("dashboard.churn.partial") : "")
                } ?? ""),
            Figure(
                label: t("dashboard.figure.loyal"), value: metrics.loyalShare.map(NumberText.percent) ?? "—",
                note: NumberText.integer(metrics.loyal)),
            Figure(
                label: t("dashboard.figure.average_ticket"),
                value: NumberText.yuan(fen: metrics.workshop.averageTicketFen),
                note: NumberText.integer(metrics.workshop.orders) + " " + t("dashboard.orders")),
            Figure(label: t("dashboard.figure.moved"), value: NumberText.integer(run.moved), note: ""),
        ]
        let tables = StoreDashboardTables(
            metrics: metrics, counts: run.counts, storeId: store.id, exportPath: Paths.storeDashboardExport(store.id),
            t: t)
        let charts = StoreDashboardCharts(tables: tables)
        sections = StoreDashboardTables.keys.compactMap { key in
            guard let table = tables.table(key) else { return nil }
            return Section(id: key, title: table.title, chart: charts.chart(key), table: table)
        }
    }
}
