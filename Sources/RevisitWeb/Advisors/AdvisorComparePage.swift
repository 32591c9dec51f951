import Foundation
import RevisitCore
import RevisitStorage

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
    /// Execution per day and conversion per rule, each drawn beside its table.
    let work: [StoreDashboardPage.Section]
    let unowned: Int
    let canManage: Bool
    let csrf: String
    let assignAction: String
    let reassignAction: String
    let advisors: [Option]
    let pending: Pending?
    /// Managers take the tables away (the export right is checked again on download).
    let canExport: Bool

    static func work(_ work: ReminderWork, exportPath: String, t: (String) -> String) -> [StoreDashboardPage.Section] {
        let rate = { (part: Int, whole: Int) in whole > 0 ? Double(part) / Double(whole) : nil }
        var daily = BarChart(
            title: t("advisor.execution_by_day"),
            bars: work.days.map {
                ChartBar(label: String($0.date.description.dropFirst(5)), value: rate($0.worked, $0.due) ?? 0)
            }, valueFormat: .percent)
        daily.showsTitle = false
        var rules = BarChart(
            title: t("advisor.conversion_by_rule"),
            bars: work.rules.filter { $0.type != .greeting }.map {
                ChartBar(label: t("reminder.type.\($0.type.rawValue)"), value: rate($0.converted, $0.due) ?? 0)
            }, valueFormat: .percent)
        rules.showsTitle = false
        return [
            StoreDashboardPage.Section(
                id: "execution", title: t("advisor.execution_by_day"), chart: daily.svg(),
                table: DashboardTable(
                    key: "execution", title: t("advisor.execution_by_day"),
                    header: [t("dashboard.day"), t("advisor.due"), t("advisor.worked"), t("advisor.execution")],
                    rows: work.days.reversed().map {
                        [
                            .text($0.date.description), .integer($0.due), .integer($0.worked),
                            .percent(rate($0.worked, $0.due)),
                        ]
                    }, exportPath: exportPath)),
            StoreDashboardPage.Section(
                id: "conversion", title: t("advisor.conversion_by_rule"), chart: rules.svg(),
                table: DashboardTable(
                    key: "conversion", title: t("advisor.conversion_by_rule"),
                    header: [
                        t("reminder.type_label"), t("advisor.due"), t("advisor.worked"), t("advisor.converted"),
                        t("advisor.execution"), t("advisor.conversion"),
                    ],
                    rows: work.rules.map {
                        [
                            .text(t("reminder.type.\($0.type.rawValue)")), .integer($0.due), .integer($0.worked),
                            .integer($0.converted), .percent(rate($0.worked, $0.due)),
                            .percent(rate($0.converted, $0.due)),
                        ]
                    }, exportPath: exportPath)),
        ]
    }

    init(
        store: Store, summaries: [AdvisorSummary], work: ReminderWork, unowned: Int, canManage: Bool, csrf: String,
        preview: Preview?,
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
            }, exportPath: "/stores/\(store.id)/advisors/export")
        var chart = StackedBarChart(
            title: t("advisor.compare_title"), categories: summaries.map(\.name),
            series: ValueClass.allCases.map { valueClass in
                ChartSeries(
                    name: t("segment.value.\(valueClass.rawValue)"),
                    values: summaries.map { Double($0.value[valueClass.rawValue] ?? 0) })
            })
        chart.showsTitle = false
        self.chart = chart.svg()
        self.work = Self.work(work, exportPath: "/stores/\(store.id)/advisors/export", t: t)
        canExport = canManage
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
