import Foundation
import Hummingbird
import RevisitCore

/// `Authorization: Bearer rvt_…` for the JSON API. The token is looked up by its SHA-256 digest; a
/// revoked token or a deactivated user is refused with 401.
struct ApiAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw RevisitError(.unauthorized, code: .unauthorized)
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty,
            let (_, user) = try await services.auth.apiTokenUser(
                tokenHash: Secrets.sha256Hex(token), now: services.now())
        else {
            throw RevisitError(.unauthorized, code: .unauthorized)
        }
        var context = context
        context.language = user.language
        // The API needs only the scope; the store list and current store are for the pages' top bar.
        let scope = try await services.identity.scope(for: user, clientAddress: context.clientAddress)
        context.auth = Authenticated(user: user, scope: scope, session: nil, stores: [], currentStore: nil)
        return try await next(request, context)
    }
}
