import Foundation
import Hummingbird
import RevisitCore

/// Users over the API. Reading follows the scope (people who share a store); changes are for administrators.
struct UsersApi {
    let services: AppServices

    static let operations = [
        ApiOperation("get", "/api/v1/users", "Users the caller may see", tag: "users", response: "[User]"),
        ApiOperation(
            "post", "/api/v1/users", "Create a user", tag: "users", request: .json(schema: "UserInput"),
            response: "User", status: 201, adminOnly: true),
        ApiOperation("get", "/api/v1/users/{id}", "One user", tag: "users", response: "User"),
        ApiOperation(
            "patch", "/api/v1/users/{id}", "Change a user's name, role, stores, group or language", tag: "users",
            request: .json(schema: "UserPatch"), response: "User", adminOnly: true),
        ApiOperation(
            "post", "/api/v1/users/{id}/password", "Reset a user's password (ends their sessions)", tag: "users",
            request: .json(schema: "PasswordInput"), response: "User", adminOnly: true),
        ApiOperation(
            "post", "/api/v1/users/{id}/deactivate", "Deactivate a user and end their sessions", tag: "users",
            response: "User", adminOnly: true),
        ApiOperation(
            "post", "/api/v1/users/{id}/activate", "Activate a user again", tag: "users", response: "User",
            adminOnly: true),
    ]

    struct UserInput: Decodable {
        var login: String?
        var name: String?
        var role: String?
        var groupId: Int64?
        var storeIds: [Int64]?
        var language: String?
        var password: String?
    }

    struct PasswordInput: Decodable {
        var password: String?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/users") { _, context in
            try Response.json(try await services.identity.users(scope: try context.scope))
        }
        router.post("/users") { request, context in
            let scope = try context.scope
            try scope.requireAdmin()
            let input = try await request.json(UserInput.self, context: context)
            let draft = UserDraft(
                login: input.login ?? "", name: input.name ?? "", role: try Role(code: input.role ?? ""),
                groupId: input.groupId, storeIds: input.storeIds ?? [], language: try Self.language(input.language))
            let password = input.password ?? ""
            try PasswordPolicy.check(password)
            _ = try draft.validated()
            let user = try await services.identity.createUser(
                draft, passwordHash: try await services.hasher.hash(password), scope: scope)
            return try Response.json(user, status: .created)
        }
        router.get("/users/:id") { _, context in
            try Response.json(
                try await services.identity.user(id: try context.parameters.requireID(), scope: try context.scope))
        }
        router.patch("/users/:id") { request, context in
            let scope = try context.scope
            let user = try await services.identity.user(id: try context.parameters.requireID(), scope: scope)
            try scope.requireAdmin()
            let input = try await request.json(UserInput.self, context: context)
            let draft = UserDraft(
                login: input.login ?? user.login, name: input.name ?? user.name,
                role: try input.role.map { try Role(code: $0) } ?? user.role, groupId: input.groupId ?? user.groupId,
                storeIds: input.storeIds ?? user.storeIds,
                language: input.language == nil ? user.language : try Self.language(input.language))
            return try Response.json(try await services.identity.updateUser(id: user.id, draft, scope: scope))
        }
        router.post("/users/:id/password") { request, context in
            let scope = try context.scope
            let user = try await services.identity.user(id: try context.parameters.requireID(), scope: scope)
            try scope.requireAdmin()
            let input = try await request.json(PasswordInput.self, context: context)
            try PasswordPolicy.check(input.password ?? "")
            try await services.identity.setPassword(
                userId: user.id, passwordHash: try await services.hasher.hash(input.password ?? ""), endSessions: true,
                scope: scope)
            return try Response.json(user)
        }
        router.post("/users/:id/deactivate") { _, context in try await self.setActive(context, active: false) }
        router.post("/users/:id/activate") { _, context in try await self.setActive(context, active: true) }
    }

    func setActive(_ context: AppRequestContext, active: Bool) async throws -> Response {
        let scope = try context.scope
        let user = try await services.identity.user(id: try context.parameters.requireID(), scope: scope)
        return try Response.json(try await services.identity.setActive(userId: user.id, active: active, scope: scope))
    }

    static func language(_ code: String?) throws -> Language {
        guard let code, !code.isEmpty else { return .default }
        guard let language = Language(loose: code) else {
            throw RevisitError(.validation, code: .invalidValue, field: "language", args: ["value": code])
        }
        return language
    }
}
