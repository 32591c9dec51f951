import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The Dwyer lifetime-value table (DOMAIN §15) of a cohort: inputs from the store's data, each one
/// overridable in the form (a GET form, so a scenario is a link to share); the table downloads as a file.
struct LifetimeValueController {
    let services: AppServices

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores/:id/lifetime-value") { request, context in try await self.show(request, context) }
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let latest = try await services.segments.requireMetrics(storeId: store.id, scope: auth.scope)
        let params = request.uri.queryParameters
        let overrides = try SegmentsApi.overrides { params.get($0) }
        let table = try latest.metrics.lifetimeValue(overrides: overrides)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let query = overrides.keys.sorted().map { "\($0)=\(Self.text(overrides[$0]!))" }.joined(separator: "&")
        let base = Paths.storeLifetimeValue(store.id) + "?" + (query.isEmpty ? "" : query + "&")
        let dashboardTable = Self.table(table, t: t, exportBase: base)
        if let format = params.get("format") {
            return try await DashboardExport.response(
                dashboardTable, name: "\(store.code)-lifetime-value", format: try ExportFormat(format),
                services: services, auth: auth, detail: "lifetime value \(store.code) cohort \(table.inputs.cohortYear)"
            )
        }
        let view = LifetimeValuePage(
            storeName: "\(store.code) \(store.name)", dashboardHref: Paths.storeDashboard(store.id),
            action: Paths.storeLifetimeValue(store.id), asOf: latest.run.asOf.description,
            inputs: DwyerInputs.overridable.map { name in
                LifetimeValuePage.Input(
                    name: name, label: t("clv.input.\(name)"), value: Self.text(Self.value(name, table.inputs)),
                    fromData: table.inputs.fromData.contains(name), overridden: overrides[name] != nil)
            },
            clv: NumberText.yuan(table.clv), table: dashboardTable, canExport: auth.user.role.canExport,
            cohorts: latest.metrics.newCustomers.map { "\($0.year): \(NumberText.integer($0.customers))" }
                .joined(separator: " · "))
        return services.renderer.render("analytics/lifetime", titleKey: "clv.title", view: view, context: context)
    }

    static func value(_ name: String, _ inputs: DwyerInputs) -> Double {
        switch name {
        case "cohortYear": Double(inputs.cohortYear)
        case "initialCustomers": Double(inputs.initialCustomers)
        case "retentionRate": inputs.retentionRate
        case "visitsPerYear": inputs.visitsPerYear
        case "averageTicket": inputs.averageTicket
        case "variableCostRate": inputs.variableCostRate
        case "marketingCostPerCustomer": inputs.marketingCostPerCustomer
        case "acquisitionCostPerCustomer": inputs.acquisitionCostPerCustomer
        case "discountRate": inputs.discountRate
        default: Double(inputs.years)
        }
    }

    /// Whole numbers without a decimal point, others with up to four decimals.
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15
            ? String(Int64(value))
            : String(format: "%.4f", value).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }

    static func table(_ table: DwyerTable, t: (String) -> String, exportBase: String) -> DashboardTable {
        let columns = [
            "year", "customers", "retentionRate", "retained", "visitsPerCustomer", "averageTicket", "revenue",
            "variableCost", "marketingCost", "acquisitionCost", "totalCost", "grossProfit", "discountFactor", "npv",
            "cumulativeNpv",
        ]
        var result = DashboardTable(
            key: "lifetime", title: t("clv.title"), header: columns.map { t("clv.column.\($0)") },
            rows: table.rows.map { row in
                [
                    .integer(row.year), .decimal(row.customers, digits: 1), .percent(row.retentionRate),
                    .decimal(row.retained, digits: 1), .decimal(row.visitsPerCustomer), .yuan(row.averageTicket),
                    .yuan(row.revenue), .yuan(row.variableCost), .yuan(row.marketingCost), .yuan(row.acquisitionCost),
                    .yuan(row.totalCost), .yuan(row.grossProfit), .decimal(row.discountFactor, digits: 4),
                    .yuan(row.npv), .yuan(row.cumulativeNpv),
                ]
            }, exportPath: "")
        result.csvHref = exportBase + "format=csv"
        result.xlsxHref = exportBase + "format=xlsx"
        return result
    }
}

struct LifetimeValuePage {
    struct Input {
        let name: String
        let label: String
        let value: String
        let fromData: Bool
        let overridden: Bool
    }
    let storeName: String
    let dashboardHref: String
    let action: String
    let asOf: String
    let inputs: [Input]
    let clv: String
    let table: DashboardTable
    let canExport: Bool
    let cohorts: String
}
