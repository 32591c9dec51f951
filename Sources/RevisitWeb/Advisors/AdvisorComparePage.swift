import Foundation
import RevisitCore
import RevisitStorage

/// The manager's view of all advisors and teams side by side, and the ownership tools.
struct AdvisorComparePage {
    struct Preview {
        let from: CustomerOwner
        let to: [CustomerOwner]
        let counts: [CustomerOwner: Int]
    }

    /// A reassignment ready to confirm: what moves where.
    struct Pending {
        let from: String
        let lines: [String]
        let hidden: [Option]
    }

    let storeName: String
    let table: DashboardTable
    /// Each team's book (its own customers and its members'), when the store has teams.
    let teamTable: DashboardTable?
    let teamsHref: String
    let chart: String
    /// Execution per day and conversion per rule, each drawn beside its table.
    let work: [StoreDashboardPage.Section]
    let unowned: Int
    let canManage: Bool
    let csrf: String
    let assignAction: String
    let reassignAction: String
    /// Who customers can move from and to: advisors, then teams.
    let owners: [Option]
    let pending: Pending?
    /// The assignment rules form (managers).
    let rules: AssignmentRulesForm?
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
        store: Store, summaries: [AdvisorSummary], teams: [TeamSummary], work: ReminderWork, unowned: Int,
        canManage: Bool, csrf: String, preview: Preview?,
        rules: (settings: AssignmentSettings, advisors: [(id: Int64, name: String)])? = nil,
        t: @escaping @Sendable (String) -> String
    ) {
        storeName = "\(store.code) \(store.name)"
        let exportPath = "/stores/\(store.id)/advisors/export"
        teamsHref = "/stores/\(store.id)/teams"
        let members = { (team: AdvisorTeam) in
            team.members.map { $0.id == team.leaderId ? "\($0.name)（\(t("team.leader"))）" : $0.name }
                .joined(separator: "、")
        }
        teamTable =
            teams.isEmpty
            ? nil
            : DashboardTable(
                key: "teams", title: t("team.books"),
                header: [
                    t("team.name"), t("team.members"), t("team.owned"), t("advisor.customers"), "A", "B",
                    t("segment.stages.at_risk"), t("advisor.month_churn"), t("advisor.receptions_per_day"),
                    t("advisor.execution"), t("advisor.conversion"),
                ],
                rows: teams.map { summary in
                    let book = summary.book
                    return [
                        .text(summary.team.name, href: "/customers?store=\(store.id)&owner=team:\(summary.team.id)"),
                        .text(members(summary.team)), .integer(summary.team.customers), .integer(book.customers),
                        .integer(book.value["A"] ?? 0), .integer(book.value["B"] ?? 0),
                        .integer(book.churnStage["at_risk"] ?? 0), .percent(book.monthlyChurn.last?.rate),
                        book.receptionsPerDay.map { .decimal($0, digits: 1) } ?? .text("—"),
                        .percent(book.executionRate), .percent(book.conversionRate()),
                    ]
                }, exportPath: exportPath)
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
            }, exportPath: exportPath)
        var chart = StackedBarChart(
            title: t("advisor.compare_title"), categories: summaries.map(\.name),
            series: ValueClass.allCases.map { valueClass in
                ChartSeries(
                    name: t("segment.value.\(valueClass.rawValue)"),
                    values: summaries.map { Double($0.value[valueClass.rawValue] ?? 0) })
            })
        chart.showsTitle = false
        self.chart = chart.svg()
        self.work = Self.work(work, exportPath: exportPath, t: t)
        canExport = canManage
        self.unowned = unowned
        self.canManage = canManage
        self.csrf = csrf
        assignAction = "/stores/\(store.id)/advisors/assign"
        reassignAction = "/stores/\(store.id)/advisors/reassign"
        let choices =
            summaries.map { (CustomerOwner(advisorId: $0.advisorId), $0.name) }
            + teams.map { (CustomerOwner(teamId: $0.team.id), OwnerChoices.teamName($0.team.name, t)) }
        owners = choices.map { Option(value: $0.0.choice, label: $0.1, selected: false) }
        self.rules = rules.map { rules in
            AssignmentRulesForm(
                settings: rules.settings, advisors: rules.advisors,
                teams: teams.map { ($0.team.id, $0.team.name) }, action: "/stores/\(store.id)/advisors/rules", t: t)
        }
        pending = preview.map { preview in
            let name = { (owner: CustomerOwner) in choices.first { $0.0 == owner }?.1 ?? owner.choice }
            return Pending(
                from: name(preview.from),
                lines: preview.counts.map { (name($0.key), $0.value) }.sorted { $0.0 < $1.0 }.map {
                    "\($0.0) +\(NumberText.integer($0.1))"
                },
                hidden: [Option(value: preview.from.choice, label: "from", selected: true)]
                    + preview.to.map { Option(value: $0.choice, label: "to", selected: true) })
        }
    }
}
