import Foundation
import RevisitCore
import RevisitStorage

/// The chart drawn beside each dashboard table, from the same numbers. Classes and stages link to the
/// customer list filtered to them.
struct StoreDashboardCharts {
    let tables: StoreDashboardTables

    var metrics: StoreMetrics { tables.metrics }
    func t(_ key: String) -> String { tables.t(key) }

    /// The SVG for a table's key; empty when the table is better read than drawn.
    func chart(_ key: String) -> String {
        switch key {
        case "value":
            PyramidChart(
                title: t("dashboard.table.value"),
                levels: ValueClass.allCases.map { bar("value", $0.rawValue, tables.counts.value, filter: "valueClass") }
            ).untitled()
        case "quadrant":
            BarChart(
                title: t("dashboard.table.quadrant"),
                bars: Quadrant.allCases.map { bar("quadrant", $0.rawValue, tables.counts.quadrant, filter: "quadrant") }
            ).untitled()
        case "stages":
            BarChart(
                title: t("dashboard.table.stages"),
                bars: ChurnStage.allCases.map {
                    bar("stages", $0.rawValue, tables.counts.churnStage, filter: "churnStage")
                }
            ).untitled()
        case "churn": churnChart()
        case "cohorts": cohortChart()
        case "workshop_months": monthsChart()
        case "workshop_days":
            BarChart(
                title: t("dashboard.table.workshop_days"),
                bars: metrics.workshop.daily.map {
                    ChartBar(label: String($0.date.description.dropFirst(5)), value: Double($0.customers))
                }, width: 720
            ).untitled()
        case "hours":
            HeatMapChart(
                title: t("dashboard.table.hours"), rowLabels: (0..<7).map { t("weekday.\($0)") },
                columnLabels: (0..<24).map { String(format: "%02d", $0) },
                values: metrics.workshop.byHour.map { $0.map(Double.init) }, width: 720, height: 240,
                emptyText: t("dashboard.no_times")
            ).untitled()
        case "vehicles": vehiclesChart()
        default: ""
        }
    }

    private func bar(_ key: String, _ value: String, _ counts: [String: Int], filter: String) -> ChartBar {
        ChartBar(
            label: tables.label(key, value), value: Double(counts[value] ?? 0),
            href: tables.customersHref(filter, value))
    }

    private func churnChart() -> String {
        let years = metrics.churn.map(\.year)
        return LineChart(
            title: t("dashboard.table.churn"), xLabels: years.map(String.init),
            series: [
                ChartLine(name: t("dashboard.churn.rate"), values: metrics.churn.map(\.rate)),
                ChartLine(
                    name: t("dashboard.table.five_year"),
                    values: years.map { year in metrics.fiveYearChurn.first { $0.year == year }?.rate }),
            ], valueFormat: .percent
        ).untitled()
    }

    private func cohortChart() -> String {
        let width = metrics.cohorts.map(\.shares.count).max() ?? 0
        guard width > 1 else { return "" }
        return LineChart(
            title: t("dashboard.table.cohorts"), xLabels: (1..<width).map { "+\($0)Q" },
            series: metrics.cohorts.map { row in
                ChartLine(
                    name: row.quarter, values: (1..<width).map { $0 < row.shares.count ? row.shares[$0] : nil })
            }, valueFormat: .percent, height: 320
        ).untitled()
    }

    private func monthsChart() -> String {
        let months = metrics.workshop.monthly
        return StackedBarChart(
            title: t("dashboard.table.workshop_months"), categories: months.map { String($0.month.dropFirst(2)) },
            series: [
                ChartSeries(name: t("warranty.in_warranty"), values: months.map { Double($0.inWarranty) }),
                ChartSeries(name: t("warranty.out_of_warranty"), values: months.map { Double($0.outOfWarranty) }),
                ChartSeries(
                    name: t("warranty.unknown"),
                    values: months.map { Double($0.orders - $0.inWarranty - $0.outOfWarranty) }),
            ]
        ).untitled()
    }

    private func vehiclesChart() -> String {
        let bands = AgeBand.allCases
        return StackedBarChart(
            title: t("dashboard.table.vehicles"), categories: bands.map { t("age_band.\($0.rawValue)") },
            series: WarrantyStatus.allCases.map { status in
                ChartSeries(
                    name: t("warranty.\(status.rawValue)"),
                    values: bands.map { Double(metrics.vehicles[$0.rawValue]?[status.rawValue] ?? 0) })
            }
        ).untitled()
    }
}

/// The group comparison's charts: each store's mix of classes and stages as 100 % bars, churn by year
/// as one line per store.
struct GroupDashboardCharts {
    let tables: GroupDashboardTables

    func chart(_ key: String) -> String {
        let stores = tables.latest.map { tables.name($0.run.storeId) }
        let hrefs = tables.latest.map { Optional(Paths.storeDashboard($0.run.storeId)) }
        switch key {
        case "value", "stages":
            let names = key == "value" ? ValueClass.allCases.map(\.rawValue) : ChurnStage.allCases.map(\.rawValue)
            return StackedBarChart(
                title: tables.t("group_dashboard.table.\(key)"), categories: stores,
                series: names.map { name in
                    ChartSeries(
                        name: tables.t("segment.\(key).\(name)"),
                        values: tables.latest.map {
                            Double((key == "value" ? $0.run.counts.value : $0.run.counts.churnStage)[name] ?? 0)
                        })
                }, categoryHrefs: hrefs, percent: true
            ).untitled()
        case "churn":
            let years = tables.years
            return LineChart(
                title: tables.t("group_dashboard.table.churn"), xLabels: years.map(String.init),
                series: tables.latest.map { item in
                    ChartLine(
                        name: tables.name(item.run.storeId),
                        values: years.map { year in item.metrics.churn.first { $0.year == year }?.rate })
                }, valueFormat: .percent
            ).untitled()
        default: return ""
        }
    }
}

/// A chart under a section heading that already names it: the title stays as the accessible name only.
protocol SectionChart {
    var showsTitle: Bool { get set }
    func svg() -> String
}

extension SectionChart {
    func untitled() -> String {
        var chart = self
        chart.showsTitle = false
        return chart.svg()
    }
}

extension BarChart: SectionChart {}
extension StackedBarChart: SectionChart {}
extension LineChart: SectionChart {}
extension PyramidChart: SectionChart {}
extension HeatMapChart: SectionChart {}
