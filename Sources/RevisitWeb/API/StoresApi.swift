import Foundation
import Hummingbird
import RevisitCore

/// Stores over the API: everyone reads the stores in their scope; administrators create and change them.
struct StoresApi {
    let services: AppServices

    static let operations = [
        ApiOperation("get", "/api/v1/stores", "Stores the caller may see", tag: "stores", response: "[Store]"),
        ApiOperation(
            "post", "/api/v1/stores", "Create a store", tag: "stores", request: .json(schema: "StoreInput"),
            response: "Store", status: 201, adminOnly: true),
        ApiOperation("get", "/api/v1/stores/{id}", "One store", tag: "stores", response: "Store"),
        ApiOperation(
            "patch", "/api/v1/stores/{id}", "Change a store (fields left out keep their value)", tag: "stores",
            request: .json(schema: "StorePatch"), response: "Store", adminOnly: true),
        ApiOperation("get", "/api/v1/stores/{id}/users", "The staff of a store", tag: "stores", response: "[User]"),
    ]

    struct StoreInput: Decodable {
        var code: String?
        var name: String?
        var groupId: Int64?
        var timeZone: String?
        var phone: String?
        var active: Bool?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores") { _, context in
            try Response.json(try await services.identity.stores(scope: try context.scope))
        }
        router.post("/stores") { request, context in
            let input = try await request.json(StoreInput.self, context: context)
            let draft = StoreDraft(
                code: input.code ?? "", name: input.name ?? "", groupId: input.groupId,
                timeZone: input.timeZone ?? Store.defaultTimeZone, phone: input.phone ?? "",
                active: input.active ?? true)
            return try Response.json(
                try await services.identity.createStore(draft, scope: try context.scope), status: .created)
        }
        router.get("/stores/:id") { _, context in
            try Response.json(
                try await services.identity.store(id: try context.parameters.requireID(), scope: try context.scope))
        }
        router.patch("/stores/:id") { request, context in
            let scope = try context.scope
            let store = try await services.identity.store(id: try context.parameters.requireID(), scope: scope)
            try scope.requireAdmin()
            let input = try await request.json(StoreInput.self, context: context)
            let draft = StoreDraft(
                code: input.code ?? store.code, name: input.name ?? store.name, groupId: input.groupId ?? store.groupId,
                timeZone: input.timeZone ?? store.timeZone, phone: input.phone ?? store.phone,
                active: input.active ?? store.active)
            return try Response.json(try await services.identity.updateStore(id: store.id, draft, scope: scope))
        }
        router.get("/stores/:id/users") { _, context in
            try Response.json(
                try await services.identity.users(inStore: try context.parameters.requireID(), scope: try context.scope)
            )
        }
    }
}
