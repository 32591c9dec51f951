import Foundation
import Hummingbird
import RevisitCore

/// The first page after sign-in: who you are, which stores you work in, where to go next.
struct HomeController {
    let services: AppServices

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(Paths.home)) { _, context in try await self.home(context) }
    }

    func home(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let language = context.language
        let groups = try await services.identity.groups(scope: auth.scope)
        let stores = try await services.identity.stores(scope: auth.scope)
        let view = HomePage(
            greeting: services.localizer.text("home.greeting", language, ["name": auth.user.name]),
            roleLabel: services.localizer.text(auth.user.role.labelKey, language),
            stores: stores.map { store in
                HomePage.StoreRow(
                    code: store.code, name: store.name, href: Paths.store(store.id), phone: store.phone,
                    timeZone: store.timeZone, groupName: groups.first { $0.id == store.groupId }?.name ?? "",
                    current: store.id == auth.currentStore?.id, active: store.active)
            },
            hasStores: !stores.isEmpty,
            isAdmin: auth.scope.isAdmin)
        return services.renderer.render("home/home", titleKey: "home.title", view: view, context: context)
    }
}

struct HomePage {
    struct StoreRow {
        let code: String
        let name: String
        let href: String
        let phone: String
        let timeZone: String
        let groupName: String
        let current: Bool
        let active: Bool
    }
    let greeting: String
    let roleLabel: String
    let stores: [StoreRow]
    let hasStores: Bool
    let isAdmin: Bool
}
