import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The store dashboard (classes, churn, cohorts, workshop, vehicles), its tables as files, and the
/// manager's "run now" button. Anyone whose scope includes the store reads it; others get 404.
struct DashboardController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores/:id/dashboard") { _, context in try await self.show(context) }
        router.get("/stores/:id/dashboard/export") { request, context in try await self.export(request, context) }
        router.post("/stores/:id/segments/run") { _, context in try await self.runNow(context) }
    }

    func show(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let latest = try await services.segments.latestMetrics(storeId: store.id, scope: auth.scope)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let view = StoreDashboardPage(
            store: store, latest: latest, canRun: auth.user.role.canRunSegments, canExport: auth.user.role.canExport,
            csrf: auth.session?.csrfToken ?? "", t: t,
            format: { key, args in services.localizer.text(key, context.language, args) })
        return services.renderer.render("analytics/store", titleKey: "dashboard.title", view: view, context: context)
    }

    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let latest = try await services.segments.requireMetrics(storeId: store.id, scope: auth.scope)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let tables = StoreDashboardTables(
            metrics: latest.metrics, counts: latest.run.counts, storeId: store.id,
            exportPath: Paths.storeDashboardExport(store.id), t: t)
        let key = request.uri.queryParameters.get("table") ?? ""
        guard let table = tables.table(key) else {
            throw RevisitError(
                .validation, code: .invalidValue, field: "table",
                args: ["value": key, "allowed": StoreDashboardTables.keys.joined(separator: ", ")])
        }
        return try await DashboardExport.response(
            table, name: "\(store.code)-\(key)", format: try ExportFormat(request.uri.queryParameters.get("format")),
            services: services, auth: auth, detail: "dashboard \(store.code) \(key) as of \(latest.run.asOf)")
    }

    func runNow(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        _ = try await services.segments.run(
            storeId: store.id, asOf: store.day(at: services.now()), trigger: .manual, scope: auth.scope)
        return Response.seeOther(Paths.storeDashboard(store.id), flash: "flash.segment_run", cookies: cookies)
    }
}

/// One dashboard table as a CSV or XLSX download, audited like every export.
enum DashboardExport {
    static func response(
        _ table: DashboardTable, name: String, format: ExportFormat, services: AppServices, auth: Authenticated,
        detail: String
    ) async throws -> Response {
        let rows = table.rows.map { $0.cells.map(\.export) }
        return try await ExportResponse.make(
            format: format, name: name, sheet: table.title, header: table.header, services: services, auth: auth,
            detail: detail
        ) { _ in (rows, nil) }
    }
}
