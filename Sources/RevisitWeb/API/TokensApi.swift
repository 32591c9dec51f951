import Foundation
import Hummingbird
import RevisitCore

/// The caller's own API tokens. A new token is shown once, in the creation answer.
struct TokensApi {
    let services: AppServices

    static let operations = [
        ApiOperation("get", "/api/v1/tokens", "The caller's API tokens", tag: "account", response: "[ApiToken]"),
        ApiOperation(
            "post", "/api/v1/tokens", "Create an API token for the caller", tag: "account",
            request: .json(schema: "TokenInput"), response: "NewApiToken", status: 201),
        ApiOperation(
            "delete", "/api/v1/tokens/{id}", "Revoke one of the caller's tokens", tag: "account", response: "Empty",
            status: 204),
    ]

    struct TokenInput: Decodable {
        var name: String?
    }

    struct NewToken: Encodable {
        let token: String
        let apiToken: ApiToken
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/tokens") { _, context in
            try Response.json(try await services.auth.apiTokens(userId: try context.requireAuth().user.id))
        }
        router.post("/tokens") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(TokenInput.self, context: context)
            let (token, prefix) = Secrets.newApiToken()
            let record = try await services.auth.createApiToken(
                userId: auth.user.id, name: input.name ?? "", tokenHash: Secrets.sha256Hex(token), prefix: prefix,
                now: services.now(), scope: auth.scope)
            return try Response.json(NewToken(token: token, apiToken: record), status: .created)
        }
        router.delete("/tokens/:id") { _, context in
            let auth = try context.requireAuth()
            try await services.auth.revokeApiToken(
                id: try context.parameters.requireID(), userId: auth.user.id, now: services.now(), scope: auth.scope)
            return Response(status: .noContent)
        }
    }
}
