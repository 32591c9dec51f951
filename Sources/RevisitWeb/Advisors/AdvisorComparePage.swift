import Foundation
import RevisitCore

/// The manager's view of all advisors side by side, and the ownership tools.
struct AdvisorComparePage {
    struct Preview {
        let from: Int64
        let to: [Int64]
        let counts: [Int64: Int]
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    /// A reassignment ready to confirm: what moves where.
    struct Pending {
        let from: String
        let lines: [String]
        let hidden: [Option]
    }

    let storeName: String
    let table: DashboardTable
    let chart: String
    let unowned: Int
    let canManage: Bool
    let csrf: String
    let assignAction: String
    let reassignAction: String
    let advisors: [Option]
    let pending: Pending?

    init(
        store: Store, summaries: [AdvisorSummary], unowned: Int, canManage: Bool, csrf: String, preview: Preview?,
        t: (String) -> String
    ) {
        storeName = "\(store.code) \(store.name)"
        table = DashboardTable(
            key: "advisors", title: t("advisor.compare_title"),
            header: [
                t("advisor.name"), t("advisor.customers"), "A", "B", "C", "D", t("segment.stages.active"),
                t("segment.stages.at_risk"), t("advisor.month_churn"), t("advisor.receptions_per_day"),
                t("advisor.execution"), t("advisor.conversion"),
            ],
            rows: summaries.map { summary in
                [
                    .text(summary.name, href: "/advisor?advisorId=\(summary.advisorId)"), .integer(summary.customers),
                    .integer(summary.value["A"] ?? 0), .integer(summary.value["B"] ?? 0),
                    .integer(summary.value["C"] ?? 0), .integer(summary.value["D"] ?? 0),
                    .integer(summary.churnStage["active"] ?? 0), .integer(summary.churnStage["at_risk"] ?? 0),
                    .percent(summary.monthlyChurn.last?.rate),
                    summary.receptionsPerDay.map { .decimal($0, digits: 1) } ?? .text("—"),
                    .percent(summary.executionRate), .percent(summary.conversionRate()),
                ]
            }, exportPath: "")
        var chart = StackedBarChart(
            title: t("advisor.compare_title"), categories: summaries.map(\.name),
            series: ValueClass.allCases.map { valueClass in
                ChartSeries(
                    name: t("segment.value.\(valueClass.rawValue)"),
                    values: summaries.map { Double($0.value[valueClass.rawValue] ?? 0) })
            })
        chart.showsTitle = false
        self.chart = chart.svg()
        self.unowned = unowned
        self.canManage = canManage
        self.csrf = csrf
        assignAction = "/stores/\(store.id)/advisors/assign"
        reassignAction = "/stores/\(store.id)/advisors/reassign"
        advisors = summaries.map { Option(value: String($0.advisorId), label: $0.name, selected: false) }
        pending = preview.map { preview in
            let name = { (id: Int64) in summaries.first { $0.advisorId == id }?.name ?? String(id) }
            return Pending(
                from: name(preview.from),
                lines: preview.counts.sorted { $0.key < $1.key }.map {
                    "\(name($0.key)) +\(NumberText.integer($0.value))"
                },
                hidden: [Option(value: String(preview.from), label: "from", selected: true)]
                    + preview.to.map { Option(value: String($0), label: "to", selected: true) })
        }
    }
}
