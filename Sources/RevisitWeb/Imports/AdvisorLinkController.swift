import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Service-advisor names from DMS files that match no user: the manager links each to a user once;
/// its orders and every later import follow.
struct AdvisorLinkController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/imports/advisors") { _, context in try await self.list(context) }
        router.post("/imports/advisors") { _, context in try await self.link(context) }
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let store = try ImportController(services: services, cookies: cookies).targetStore(context)
        let auth = try context.requireAuth()
        let names = try await services.imports.unlinkedAdvisors(storeId: store.id, scope: auth.scope)
        let staff = try await services.identity.users(inStore: store.id, scope: auth.scope)
        let view = AdvisorLinkPage(
            csrf: auth.session?.csrfToken ?? "",
            rows: names.map { AdvisorLinkPage.Row(name: $0.name, orders: $0.orders) },
            users: staff.filter(\.active).map { Option(value: String($0.id), label: $0.name, selected: false) },
            empty: names.isEmpty)
        return services.renderer.render(
            "imports/advisors", titleKey: "import.advisors_title", view: view, context: context)
    }

    func link(_ context: AppRequestContext) async throws -> Response {
        let store = try ImportController(services: services, cookies: cookies).targetStore(context)
        let auth = try context.requireAuth()
        guard let userId = Int64(context.form["user"]) else {
            throw RevisitError(.validation, code: .required, field: "user")
        }
        _ = try await services.imports.linkAdvisor(
            name: context.form["name"], userId: userId, storeId: store.id, scope: auth.scope)
        return Response.seeOther("/imports/advisors", flash: "import.advisor_linked", cookies: cookies)
    }
}

struct AdvisorLinkPage {
    struct Row {
        let name: String
        let orders: Int
    }
    let csrf: String
    let rows: [Row]
    let users: [Option]
    let empty: Bool
}
