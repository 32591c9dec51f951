import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// A group's stores side by side, from each store's last run: classes, churn stages, churn by year,
/// loyal share and ticket. A user sees the group's stores their scope includes (a store manager only
/// their own); a group they have no store of is 404.
struct GroupDashboardController {
    let services: AppServices

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/groups/:id/dashboard") { _, context in try await self.show(context) }
        router.get("/groups/:id/dashboard/export") { request, context in try await self.export(request, context) }
    }

    func load(_ context: AppRequestContext) async throws -> (Group, GroupDashboardTables) {
        let auth = try context.requireAuth()
        let groupId = try context.parameters.requireID()
        let stores = try await services.identity.stores(scope: auth.scope).filter { $0.groupId == groupId && $0.active }
        guard !stores.isEmpty || auth.scope.isAdmin else { throw RevisitError.notFound() }
        let group = try await services.identity.group(id: groupId, scope: auth.scope)
        let latest = try await services.segments.latestMetrics(storeIds: stores.map(\.id), scope: auth.scope)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        return (
            group,
            GroupDashboardTables(
                stores: stores, latest: latest, exportPath: Paths.groupDashboardExport(groupId), t: t)
        )
    }

    func show(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let (group, tables) = try await load(context)
        let charts = GroupDashboardCharts(tables: tables)
        let view = GroupDashboardPage(
            groupName: "\(group.code) \(group.name)", hasData: !tables.latest.isEmpty,
            canExport: auth.user.role.canExport,
            sections: GroupDashboardTables.keys.compactMap { key in
                tables.table(key).map {
                    StoreDashboardPage.Section(id: key, title: $0.title, chart: charts.chart(key), table: $0)
                }
            })
        return services.renderer.render(
            "analytics/group", titleKey: "group_dashboard.title", view: view, context: context)
    }

    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let (group, tables) = try await load(context)
        let key = request.uri.queryParameters.get("table") ?? ""
        guard let table = tables.table(key) else {
            throw RevisitError(
                .validation, code: .invalidValue, field: "table",
                args: ["value": key, "allowed": GroupDashboardTables.keys.joined(separator: ", ")])
        }
        return try await DashboardExport.response(
            table, name: "\(group.code)-\(key)", format: try ExportFormat(request.uri.queryParameters.get("format")),
            services: services, auth: auth, detail: "group dashboard \(group.code) \(key)")
    }
}

struct GroupDashboardPage {
    let groupName: String
    let hasData: Bool
    let canExport: Bool
    let sections: [StoreDashboardPage.Section]
}

/// The comparison tables: one row per store, or one column per store for the yearly churn.
struct GroupDashboardTables {
    let stores: [Store]
    let latest: [StoreRunMetrics]
    let exportPath: String
    let t: (String) -> String

    static let keys = ["stores", "value", "stages", "churn"]

    func name(_ storeId: Int64) -> String { stores.first { $0.id == storeId }?.code ?? String(storeId) }

    func table(_ key: String) -> DashboardTable? {
        switch key {
        case "stores": overview()
        case "value": shares("value", ValueClass.allCases.map(\.rawValue), \.value, filter: "valueClass")
        case "stages": shares("stages", ChurnStage.allCases.map(\.rawValue), \.churnStage, filter: "churnStage")
        case "churn": churn()
        default: nil
        }
    }

    private func make(_ key: String, _ header: [String], _ rows: [[DashboardTable.Cell]]) -> DashboardTable {
        DashboardTable(
            key: key, title: t("group_dashboard.table.\(key)"), header: header, rows: rows, exportPath: exportPath)
    }

    private func overview() -> DashboardTable {
        make(
            "stores",
            [
                t("field.store"), t("segments.as_of"), t("dashboard.customers"), t("dashboard.figure.churn"),
                t("dashboard.figure.retention"), t("dashboard.figure.loyal"), t("dashboard.figure.average_ticket"),
                t("dashboard.orders"),
            ],
            latest.map { item in
                let complete = item.metrics.churn.last { !$0.partial }
                return [
                    .text(name(item.run.storeId), href: Paths.storeDashboard(item.run.storeId)),
                    .text(item.run.asOf.description), .integer(item.run.counts.customers), .percent(complete?.rate),
                    .percent(complete?.retention), .percent(item.metrics.loyalShare),
                    .yuan(Double(item.metrics.workshop.averageTicketFen) / 100), .integer(item.metrics.workshop.orders),
                ]
            })
    }

    private func shares(
        _ key: String, _ names: [String], _ counts: KeyPath<SegmentCounts, [String: Int]>, filter: String
    ) -> DashboardTable {
        make(
            key, [t("field.store")] + names.map { t("segment.\(key).\($0)") },
            latest.map { item in
                let values = item.run.counts[keyPath: counts]
                return [.text(name(item.run.storeId), href: Paths.storeDashboard(item.run.storeId))]
                    + names.map {
                        .integer(values[$0] ?? 0, href: "/customers?store=\(item.run.storeId)&\(filter)=\($0)")
                    }
            })
    }

    /// Years down, stores across: the churn rate of each complete or current year.
    var years: [Int] {
        Array(Set(latest.flatMap { $0.metrics.churn.map(\.year) })).sorted()
    }

    private func churn() -> DashboardTable {
        make(
            "churn", [t("dashboard.year")] + latest.map { name($0.run.storeId) },
            years.reversed().map { year in
                [.text(String(year))]
                    + latest.map { item in .percent(item.metrics.churn.first { $0.year == year }?.rate) }
            })
    }
}
