import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The reminder list an advisor works every morning: their open tasks due by the end of the week by
/// default; each row opens the customer's page and takes the outcome in two clicks (choose, record).
struct ReminderController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/reminders") { request, context in try await self.list(request, context) }
        router.post("/reminders/run") { _, context in try await self.runNow(context) }
        router.post("/reminders/:id/outcome") { _, context in try await self.outcome(context) }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        guard let store = auth.currentStore else { throw RevisitError(.validation, code: .storeRequired) }
        let params = request.uri.queryParameters
        let today = store.day(at: services.now())
        var query = try RemindersApi.query { params.get($0) }
        query.storeId = store.id
        // An advisor's morning: their own and their team's open tasks due by the end of the week, unless
        // they asked otherwise.
        let filtered = ["type", "status", "owner", "ownerId", "teamId", "dueFrom", "dueTo", "customerNo", "vin"]
            .contains {
                params.get($0) != nil
            }
        if !filtered {
            query.status = .open
            query.dueTo = today.addingDays(7)
            if auth.user.role == .serviceAdvisor {
                query.ownerId = auth.user.id
                query.teamId = try await services.teams.teamOf(userId: auth.user.id, storeId: store.id)
            }
        }
        let page = try await services.reminders.reminders(query, scope: auth.scope)
        let owners = try await OwnerChoices.load(
            storeId: store.id, auth: auth, services: services, language: context.language)
        let text = ReminderText(localizer: services.localizer, language: context.language)
        let view = ReminderListPage(
            query: query, page: page, owners: owners, text: text, today: today, csrf: auth.session?.csrfToken ?? "",
            canWork: auth.user.role.canWorkReminders, canRun: auth.user.role.canRunReminders,
            nextPath: request.uri.description)
        return services.renderer.render("reminders/list", titleKey: "reminder.title", view: view, context: context)
    }

    func outcome(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let id = try context.parameters.requireID()
        guard let outcome = ReminderOutcome(rawValue: context.form["outcome"]) else {
            throw RevisitError(
                .validation, code: .invalidValue, field: "outcome", args: ["value": context.form["outcome"]])
        }
        _ = try await services.reminders.recordOutcome(
            id: id, outcome: outcome, note: context.form["note"], scope: auth.scope)
        let back = context.form["next"]
        return Response.seeOther(
            back.hasPrefix("/reminders") || back.hasPrefix("/advisor") ? back : "/reminders",
            flash: "flash.reminder_outcome", cookies: cookies)
    }

    func runNow(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        guard let store = auth.currentStore else { throw RevisitError(.validation, code: .storeRequired) }
        _ = try await services.reminders.run(
            storeId: store.id, asOf: store.day(at: services.now()), trigger: .manual, scope: auth.scope)
        return Response.seeOther("/reminders", flash: "flash.reminder_run", cookies: cookies)
    }
}
