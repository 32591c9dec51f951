import Foundation
import RevisitCore

/// An advisor's home: the figures they are judged on, their book drawn, and the day's tasks.
struct AdvisorDashboardPage {
    let name: String
    var figures: [StoreDashboardPage.Figure]
    let receptionWarning: Bool
    let charts: [StoreDashboardPage.Section]
    let rows: [ReminderListPage.Row]
    let empty: Bool
    let outcomes: [Option]
    let csrf: String
    let canWork: Bool
    let nextPath: String

    init(
        summary: AdvisorSummary, team: TeamSummary?, storeId: Int64, today: LocalDate, tasks: [Reminder],
        text: ReminderText,
        csrf: String, canWork: Bool, nextPath: String
    ) {
        let t = text.t
        name = summary.name
        let month = summary.monthlyChurn.last
        receptionWarning = summary.receptionsToday > AdvisorSummary.receptionWarning
        figures = [
            .init(label: t("advisor.customers"), value: NumberText.integer(summary.customers), note: ""),
            .init(
                label: t("advisor.month_churn"), value: month?.rate.map(NumberText.percent) ?? "—",
                note: month.map { "\($0.month) · \($0.churned)/\($0.base)" } ?? ""),
            .init(
                label: t("advisor.receptions_today"), value: String(summary.receptionsToday),
                note: t(receptionWarning ? "advisor.over_capacity" : "advisor.capacity")),
            .init(
                label: t("advisor.receptions_per_day"),
                value: summary.receptionsPerDay.map { String(format: "%.1f", $0) } ?? "—", note: t("advisor.last_30")),
            .init(
                label: t("advisor.execution"), value: summary.executionRate.map(NumberText.percent) ?? "—",
                note: t("advisor.last_30")),
            .init(
                label: t("advisor.conversion"), value: summary.conversionRate().map(NumberText.percent) ?? "—",
                note: t("advisor.last_30")),
        ]
        // The team's book beside the advisor's own: the team answers for its customers together.
        if let team {
            let month = team.book.monthlyChurn.last
            figures.append(
                .init(
                    label: OwnerChoices.teamName(team.team.name, t),
                    value: NumberText.integer(team.book.customers),
                    note: t("team.owned") + " " + NumberText.integer(team.team.customers) + " · "
                        + t("advisor.month_churn") + " " + (month?.rate.map(NumberText.percent) ?? "—")))
        }
        let owner = "/customers?store=\(storeId)&owner=\(summary.advisorId)"
        let table = { (key: String, header: [String], rows: [[DashboardTable.Cell]]) in
            DashboardTable(key: key, title: t("advisor.table.\(key)"), header: header, rows: rows, exportPath: "")
        }
        var value = PyramidChart(
            title: t("dashboard.table.value"),
            levels: ValueClass.allCases.map {
                ChartBar(
                    label: t("segment.value.\($0.rawValue)"), value: Double(summary.value[$0.rawValue] ?? 0),
                    href: "\(owner)&valueClass=\($0.rawValue)")
            })
        value.showsTitle = false
        var stages = BarChart(
            title: t("dashboard.table.stages"),
            bars: ChurnStage.allCases.map {
                ChartBar(
                    label: t("segment.stages.\($0.rawValue)"), value: Double(summary.churnStage[$0.rawValue] ?? 0),
                    href: "\(owner)&churnStage=\($0.rawValue)")
            })
        stages.showsTitle = false
        var churn = LineChart(
            title: t("advisor.table.churn"), xLabels: summary.monthlyChurn.map(\.month),
            series: [ChartLine(name: t("advisor.month_churn"), values: summary.monthlyChurn.map(\.rate))],
            valueFormat: .percent)
        churn.showsTitle = false
        let days = (0..<30).reversed().map { today.addingDays(-$0) }
        var receptions = BarChart(
            title: t("advisor.table.receptions"),
            bars: days.map { day in
                let count = summary.receptions[day.description] ?? 0
                return ChartBar(
                    label: String(day.description.dropFirst(5)), value: Double(count),
                    color: count > AdvisorSummary.receptionWarning ? "#D55E00" : nil)
            }, width: 720)
        receptions.showsTitle = false
        charts = [
            .init(
                id: "value", title: t("dashboard.table.value"), chart: value.svg(),
                table: table(
                    "value", [t("dashboard.class"), t("dashboard.customers")],
                    ValueClass.allCases.map {
                        [
                            .text(t("segment.value.\($0.rawValue)"), href: "\(owner)&valueClass=\($0.rawValue)"),
                            .integer(summary.value[$0.rawValue] ?? 0),
                        ]
                    })),
            .init(
                id: "stages", title: t("dashboard.table.stages"), chart: stages.svg(),
                table: table(
                    "stages", [t("dashboard.class"), t("dashboard.customers")],
                    ChurnStage.allCases.map {
                        [
                            .text(t("segment.stages.\($0.rawValue)"), href: "\(owner)&churnStage=\($0.rawValue)"),
                            .integer(summary.churnStage[$0.rawValue] ?? 0),
                        ]
                    })),
            .init(
                id: "churn", title: t("advisor.table.churn"), chart: churn.svg(),
                table: table(
                    "churn",
                    [t("dashboard.month"), t("advisor.base"), t("dashboard.churn.churned"), t("dashboard.churn.rate")],
                    summary.monthlyChurn.reversed().map {
                        [.text($0.month), .integer($0.base), .integer($0.churned), .percent($0.rate)]
                    })),
            .init(
                id: "receptions", title: t("advisor.table.receptions"), chart: receptions.svg(),
                table: table(
                    "receptions", [t("dashboard.day"), t("dashboard.orders")],
                    days.reversed().map { [.text($0.description), .integer(summary.receptions[$0.description] ?? 0)] })),
        ]
        rows = ReminderListPage.rows(tasks, text: text, today: today)
        empty = rows.isEmpty
        outcomes = ReminderListPage.outcomes(text)
        self.csrf = csrf
        self.canWork = canWork
        self.nextPath = nextPath
    }
}
