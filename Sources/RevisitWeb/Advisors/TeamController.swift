import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The store's advisor teams: the list, and for managers the form that creates, changes or deletes one.
struct TeamController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores/:id/teams") { request, context in
            let auth = try context.requireAuth()
            let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
            let edit = try Parse.int(request.uri.queryParameters.get("edit"), field: "edit").map(Int64.init)
            let editing = try await edit.asyncMap { try await services.teams.team(id: $0, scope: auth.scope) }
            return try await page(store, context, editing: editing, draft: nil, error: nil)
        }
        router.post("/stores/:id/teams") { _, context in
            let auth = try context.requireAuth()
            let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
            return try await save(store, context, editing: nil)
        }
        router.post("/teams/:id") { _, context in
            let auth = try context.requireAuth()
            let team = try await services.teams.team(id: try context.parameters.requireID(), scope: auth.scope)
            let store = try await services.identity.store(id: team.storeId, scope: auth.scope)
            return try await save(store, context, editing: team)
        }
        router.post("/teams/:id/delete") { _, context in
            let auth = try context.requireAuth()
            let team = try await services.teams.team(id: try context.parameters.requireID(), scope: auth.scope)
            let store = try await services.identity.store(id: team.storeId, scope: auth.scope)
            do {
                try await services.teams.delete(id: team.id, scope: auth.scope)
            } catch let error as RevisitError where error.kind == .conflict {
                return try await page(
                    store, context, editing: team, draft: nil,
                    error: services.localizer.message(for: error, context.language), status: .conflict)
            }
            return Response.seeOther("/stores/\(store.id)/teams", flash: "flash.team_deleted", cookies: cookies)
        }
    }

    func save(_ store: Store, _ context: AppRequestContext, editing: AdvisorTeam?) async throws -> Response {
        let auth = try context.requireAuth()
        let form = context.form
        let draft = TeamDraft(
            name: form["name"], leaderId: Int64(form["leader"]), memberIds: form.all("member").compactMap(Int64.init))
        do {
            if let editing {
                _ = try await services.teams.update(id: editing.id, draft, scope: auth.scope)
            } else {
                _ = try await services.teams.create(draft, storeId: store.id, scope: auth.scope)
            }
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await page(
                store, context, editing: editing, draft: draft,
                error: services.localizer.message(for: error, context.language),
                status: ErrorMiddleware.status(for: error))
        }
        return Response.seeOther("/stores/\(store.id)/teams", flash: "flash.team_saved", cookies: cookies)
    }

    func page(
        _ store: Store, _ context: AppRequestContext, editing: AdvisorTeam?, draft: TeamDraft?, error: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let auth = try context.requireAuth()
        let teams = try await services.teams.teams(storeId: store.id, scope: auth.scope)
        let advisors = try await services.identity.users(inStore: store.id, scope: auth.scope)
            .filter { $0.role == .serviceAdvisor && $0.active }.map { (id: $0.id, name: $0.name) }
        let view = TeamsPage(
            store: store, teams: teams, advisors: advisors, editing: editing, draft: draft, error: error,
            canManage: auth.user.role.canRunSegments, csrf: auth.session?.csrfToken ?? "",
            t: { services.localizer.text($0, context.language) })
        return services.renderer.render(
            "advisors/teams", titleKey: "team.title", view: view, context: context, status: status)
    }
}
