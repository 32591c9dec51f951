import Foundation
import Hummingbird
import RevisitCore

/// Dealer groups over the API.
struct GroupsApi {
    let services: AppServices

    static let operations = [
        ApiOperation("get", "/api/v1/groups", "Groups the caller may see", tag: "groups", response: "[Group]"),
        ApiOperation(
            "post", "/api/v1/groups", "Create a group", tag: "groups", request: .json(schema: "GroupInput"),
            response: "Group", status: 201, adminOnly: true),
        ApiOperation("get", "/api/v1/groups/{id}", "One group", tag: "groups", response: "Group"),
        ApiOperation(
            "patch", "/api/v1/groups/{id}", "Change a group", tag: "groups", request: .json(schema: "GroupInput"),
            response: "Group", adminOnly: true),
    ]

    struct GroupInput: Decodable {
        var code: String?
        var name: String?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/groups") { _, context in
            try Response.json(try await services.identity.groups(scope: try context.scope))
        }
        router.post("/groups") { request, context in
            let input = try await request.json(GroupInput.self, context: context)
            let group = try await services.identity.createGroup(
                GroupDraft(code: input.code ?? "", name: input.name ?? ""), scope: try context.scope)
            return try Response.json(group, status: .created)
        }
        router.get("/groups/:id") { _, context in
            try Response.json(
                try await services.identity.group(id: try context.parameters.requireID(), scope: try context.scope))
        }
        router.patch("/groups/:id") { request, context in
            let scope = try context.scope
            let group = try await services.identity.group(id: try context.parameters.requireID(), scope: scope)
            try scope.requireAdmin()
            let input = try await request.json(GroupInput.self, context: context)
            let draft = GroupDraft(code: input.code ?? group.code, name: input.name ?? group.name)
            return try Response.json(try await services.identity.updateGroup(id: group.id, draft, scope: scope))
        }
    }
}
