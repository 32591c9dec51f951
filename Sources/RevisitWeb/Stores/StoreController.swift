import Foundation
import Hummingbird
import RevisitCore

/// A store's own page: its details and its staff. Any user whose scope includes the store may read it;
/// anyone else gets 404, as if it did not exist.
struct StoreController {
    let services: AppServices

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores/:id") { _, context in try await self.show(context) }
    }

    func show(_ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope
        let id = try context.parameters.requireID()
        let store = try await services.identity.store(id: id, scope: scope)
        let staff = try await services.identity.users(inStore: id, scope: scope)
        let group = try await services.identity.groups(scope: scope).first { $0.id == store.groupId }
        let language = context.language
        let view = StorePage(
            code: store.code, name: store.name, phone: store.phone, timeZone: store.timeZone,
            groupName: group?.name ?? "", active: store.active,
            staff: staff.map { user in
                StorePage.StaffRow(
                    login: user.login, name: user.name,
                    roleLabel: services.localizer.text(user.role.labelKey, language), active: user.active)
            },
            editHref: scope.isAdmin ? Paths.adminStoreEdit(store.id) : nil)
        return services.renderer.render("stores/show", titleKey: "store.title", view: view, context: context)
    }
}

struct StorePage {
    struct StaffRow {
        let login: String
        let name: String
        let roleLabel: String
        let active: Bool
    }
    let code: String
    let name: String
    let phone: String
    let timeZone: String
    let groupName: String
    let active: Bool
    let staff: [StaffRow]
    let editHref: String?
}

extension Parameters {
    /// The `:id` of the path; a malformed id is treated as an unknown record (404), never a 500.
    func requireID(_ name: String = "id") throws -> Int64 {
        guard let id = get(name, as: Int64.self) else { throw RevisitError.notFound() }
        return id
    }
}
