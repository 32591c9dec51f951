import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The advisor's own page (their book, their month's churn, their day's receptions and tasks) and the
/// manager's comparison of all advisors, with the ownership tools: assign the unowned, move a leaving
/// advisor's customers (preview first).
struct AdvisorController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/advisor") { request, context in try await self.dashboard(request, context) }
        router.get("/stores/:id/advisors") { _, context in
            try await self.compare(context, preview: AdvisorComparePage.Preview?.none)
        }
        router.post("/stores/:id/advisors/assign") { _, context in try await self.assign(context) }
        router.post("/stores/:id/advisors/reassign") { _, context in try await self.reassign(context) }
        router.post("/stores/:id/advisors/rules") { _, context in try await self.saveRules(context) }
        router.get("/stores/:id/advisors/export") { request, context in try await self.export(request, context) }
    }

    func today(_ store: Store) -> LocalDate { store.day(at: services.now()) }

    func dashboard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        guard let store = auth.currentStore else { throw RevisitError(.validation, code: .storeRequired) }
        // An advisor sees their own page; a manager may open any advisor's.
        let asked = try Parse.int(request.uri.queryParameters.get("advisorId"), field: "advisorId").map(Int64.init)
        let advisorId = auth.user.role == .serviceAdvisor ? auth.user.id : asked ?? auth.user.id
        let day = today(store)
        let books = try await services.advisors.books(storeId: store.id, asOf: day, scope: auth.scope)
        guard let summary = books.advisors.first(where: { $0.advisorId == advisorId }) else {
            throw RevisitError.notFound()
        }
        // Their tasks and their team's: a team's customers are every member's to call.
        var query = ReminderQuery(storeId: store.id, status: .open, ownerId: advisorId, limit: 50)
        query.teamId = summary.teamId
        query.priorityAsOf = day
        let tasks = try await services.reminders.reminders(query, scope: auth.scope)
        let text = ReminderText(localizer: services.localizer, language: context.language)
        let view = AdvisorDashboardPage(
            summary: summary, team: books.teams.first { $0.team.id == summary.teamId }, storeId: store.id, today: day,
            tasks: tasks.items, text: text,
            csrf: auth.session?.csrfToken ?? "", canWork: auth.user.role.canWorkReminders,
            nextPath: request.uri.description)
        return services.renderer.render("advisors/dashboard", titleKey: "advisor.title", view: view, context: context)
    }

    func compare(_ context: AppRequestContext, preview: AdvisorComparePage.Preview?) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let books = try await services.advisors.books(storeId: store.id, asOf: today(store), scope: auth.scope)
        let work = try await services.advisors.reminderWork(storeId: store.id, asOf: today(store), scope: auth.scope)
        // Managers get the rules form, offering the store's active advisors and its teams.
        var rules: (settings: AssignmentSettings, advisors: [(id: Int64, name: String)])?
        if auth.user.role.canRunSegments {
            rules = (
                try await services.ownership.settings(storeId: store.id, scope: auth.scope),
                try await services.identity.users(inStore: store.id, scope: auth.scope)
                    .filter { $0.role == .serviceAdvisor && $0.active }.map { (id: $0.id, name: $0.name) }
            )
        }
        let view = AdvisorComparePage(
            store: store, summaries: books.advisors, teams: books.teams, work: work,
            unowned: try await services.advisors.unowned(storeId: store.id, scope: auth.scope),
            canManage: auth.user.role.canRunSegments, csrf: auth.session?.csrfToken ?? "", preview: preview,
            rules: rules, t: { services.localizer.text($0, context.language) })
        return services.renderer.render(
            "advisors/compare", titleKey: "advisor.compare_title", view: view, context: context)
    }

    /// The comparison's tables as CSV or XLSX (the export right, audited).
    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let day = today(store)
        let books = try await services.advisors.books(storeId: store.id, asOf: day, scope: auth.scope)
        let page = AdvisorComparePage(
            store: store, summaries: books.advisors, teams: books.teams,
            work: try await services.advisors.reminderWork(storeId: store.id, asOf: day, scope: auth.scope), unowned: 0,
            canManage: false, csrf: "", preview: nil, t: { services.localizer.text($0, context.language) })
        let key = request.uri.queryParameters.get("table") ?? ""
        let tables = [page.table] + (page.teamTable.map { [$0] } ?? []) + page.work.map(\.table)
        guard let table = tables.first(where: { $0.key == key }) else {
            throw RevisitError(
                .validation, code: .invalidValue, field: "table",
                args: ["value": key, "allowed": "advisors, teams, execution, conversion"])
        }
        return try await DashboardExport.response(
            table, name: "\(store.code)-\(key)", format: try ExportFormat(request.uri.queryParameters.get("format")),
            services: services, auth: auth, detail: "advisors \(store.code) \(key) as of \(day)")
    }

    /// The rules form: what it says replaces the store's rules (the API can also set them).
    func saveRules(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        try await services.ownership.saveSettings(
            AssignmentRulesForm.settings(context.form), storeId: store.id, scope: auth.scope)
        return Response.seeOther("/stores/\(store.id)/advisors", flash: "flash.rules_saved", cookies: cookies)
    }

    func assign(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        try await services.ownership.assignUnowned(storeId: store.id, reason: "assigned", scope: auth.scope)
        return Response.seeOther("/stores/\(store.id)/advisors", flash: "flash.owners_assigned", cookies: cookies)
    }

    func reassign(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        guard let from = CustomerOwner(choice: context.form["from"]), from != CustomerOwner() else {
            throw RevisitError(.validation, code: .required, field: "from")
        }
        let targets = context.form.all("to").compactMap(CustomerOwner.init(choice:))
        if context.form["confirm"] != "1" {
            let counts = try await services.ownership.previewReassign(
                storeId: store.id, from: from, to: targets, scope: auth.scope)
            return try await compare(
                context, preview: AdvisorComparePage.Preview(from: from, to: targets, counts: counts))
        }
        try await services.ownership.reassign(storeId: store.id, from: from, to: targets, scope: auth.scope)
        return Response.seeOther("/stores/\(store.id)/advisors", flash: "flash.owners_reassigned", cookies: cookies)
    }
}
