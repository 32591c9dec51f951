import Foundation
import Hummingbird
import RevisitCore

/// Administrators create and edit stores.
struct StoreAdminController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(Paths.adminStores)) { _, context in try await self.list(context) }
        router.get(RouterPath(Paths.adminStoreNew)) { _, context in
            try await self.form(context, draft: StoreDraft(code: "", name: ""))
        }
        router.post(RouterPath(Paths.adminStores)) { _, context in try await self.create(context) }
        router.get("/admin/stores/:id/edit") { _, context in try await self.edit(context) }
        router.post("/admin/stores/:id") { _, context in try await self.update(context) }
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope
        let groups = try await services.identity.groups(scope: scope)
        let rows = try await services.identity.stores(scope: scope).map { store in
            StoreListPage.Row(
                code: store.code, name: store.name, groupName: groups.first { $0.id == store.groupId }?.name ?? "",
                timeZone: store.timeZone, phone: store.phone, active: store.active, href: Paths.store(store.id),
                editHref: Paths.adminStoreEdit(store.id))
        }
        return services.renderer.render(
            "admin/stores", titleKey: "admin.stores.title",
            view: StoreListPage(rows: rows, newHref: Paths.adminStoreNew), context: context)
    }

    func edit(_ context: AppRequestContext) async throws -> Response {
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: try context.scope)
        let draft = StoreDraft(
            code: store.code, name: store.name, groupId: store.groupId, timeZone: store.timeZone, phone: store.phone,
            active: store.active)
        return try await form(context, draft: draft, id: store.id)
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let draft = Self.draft(from: context.form)
        do {
            let store = try await services.identity.createStore(draft, scope: try context.scope)
            return Response.seeOther(Paths.store(store.id), flash: "flash.store_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await form(context, draft: draft, error: error)
        }
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        let draft = Self.draft(from: context.form)
        do {
            _ = try await services.identity.updateStore(id: id, draft, scope: try context.scope)
            return Response.seeOther(Paths.adminStores, flash: "flash.store_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await form(context, draft: draft, id: id, error: error)
        }
    }

    static func draft(from form: FormData) -> StoreDraft {
        StoreDraft(
            code: form["code"], name: form["name"], groupId: Int64(form["group"]), timeZone: form["timeZone"],
            phone: form["phone"], active: form.has("active"))
    }

    func form(
        _ context: AppRequestContext, draft: StoreDraft, id: Int64? = nil, error: RevisitError? = nil
    )
        async throws -> Response
    {
        let groups = try await services.identity.groups(scope: try context.scope)
        let view = StoreFormPage(
            action: id.map(Paths.adminStore) ?? Paths.adminStores, isNew: id == nil, code: draft.code, name: draft.name,
            timeZone: draft.timeZone, phone: draft.phone, active: draft.active,
            groups: [Option(value: "", label: "—", selected: draft.groupId == nil)]
                + groups.map {
                    Option(value: String($0.id), label: "\($0.code) \($0.name)", selected: $0.id == draft.groupId)
                },
            error: error.map { services.localizer.message(for: $0, context.language) }, errorField: error?.field,
            csrf: context.auth?.session?.csrfToken ?? "", cancelHref: Paths.adminStores)
        return services.renderer.render(
            "admin/store_form", titleKey: id == nil ? "admin.stores.new" : "admin.stores.edit", view: view,
            context: context, status: error.map(ErrorMiddleware.status(for:)) ?? .ok)
    }
}

struct StoreListPage {
    struct Row {
        let code: String
        let name: String
        let groupName: String
        let timeZone: String
        let phone: String
        let active: Bool
        let href: String
        let editHref: String
    }
    let rows: [Row]
    let newHref: String
}

struct StoreFormPage {
    let action: String
    let isNew: Bool
    let code: String
    let name: String
    let timeZone: String
    let phone: String
    let active: Bool
    let groups: [Option]
    let error: String?
    let errorField: String?
    let csrf: String
    let cancelHref: String
}
