import Foundation
import Hummingbird
import RevisitCore

/// Administrators create and edit dealer groups and manufacturers.
struct GroupAdminController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(Paths.adminGroups)) { _, context in try await self.list(context) }
        router.get(RouterPath(Paths.adminGroupNew)) { _, context in
            self.form(context, draft: GroupDraft(code: "", name: ""))
        }
        router.post(RouterPath(Paths.adminGroups)) { _, context in try await self.create(context) }
        router.get("/admin/groups/:id/edit") { _, context in try await self.edit(context) }
        router.post("/admin/groups/:id") { _, context in try await self.update(context) }
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope
        let stores = try await services.identity.stores(scope: scope)
        let rows = try await services.identity.groups(scope: scope).map { group in
            GroupListPage.Row(
                code: group.code, name: group.name, storeCount: stores.filter { $0.groupId == group.id }.count,
                editHref: Paths.adminGroupEdit(group.id))
        }
        return services.renderer.render(
            "admin/groups", titleKey: "admin.groups.title",
            view: GroupListPage(rows: rows, newHref: Paths.adminGroupNew),
            context: context)
    }

    func edit(_ context: AppRequestContext) async throws -> Response {
        let group = try await services.identity.group(id: try context.parameters.requireID(), scope: try context.scope)
        return form(context, draft: GroupDraft(code: group.code, name: group.name), id: group.id)
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let draft = GroupDraft(code: context.form["code"], name: context.form["name"])
        do {
            _ = try await services.identity.createGroup(draft, scope: try context.scope)
            return Response.seeOther(Paths.adminGroups, flash: "flash.group_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return form(context, draft: draft, error: error)
        }
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        let draft = GroupDraft(code: context.form["code"], name: context.form["name"])
        do {
            _ = try await services.identity.updateGroup(id: id, draft, scope: try context.scope)
            return Response.seeOther(Paths.adminGroups, flash: "flash.group_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return form(context, draft: draft, id: id, error: error)
        }
    }

    func form(_ context: AppRequestContext, draft: GroupDraft, id: Int64? = nil, error: RevisitError? = nil) -> Response
    {
        let view = GroupFormPage(
            action: id.map(Paths.adminGroup) ?? Paths.adminGroups, code: draft.code, name: draft.name,
            error: error.map { services.localizer.message(for: $0, context.language) },
            csrf: context.auth?.session?.csrfToken ?? "", cancelHref: Paths.adminGroups)
        return services.renderer.render(
            "admin/group_form", titleKey: id == nil ? "admin.groups.new" : "admin.groups.edit", view: view,
            context: context, status: error.map(ErrorMiddleware.status(for:)) ?? .ok)
    }
}

struct GroupListPage {
    struct Row {
        let code: String
        let name: String
        let storeCount: Int
        let editHref: String
    }
    let rows: [Row]
    let newHref: String
}

struct GroupFormPage {
    let action: String
    let code: String
    let name: String
    let error: String?
    let csrf: String
    let cancelHref: String
}
