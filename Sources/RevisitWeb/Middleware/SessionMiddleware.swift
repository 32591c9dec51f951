import Foundation
import Hummingbird
import RevisitCore

/// Finds the browser session behind the cookie, enforces the idle and absolute timeouts, and puts the
/// user, their scope and their current store into the context. It never refuses: pages that need a
/// user sit behind `RequireLoginMiddleware`.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices
    let cookies: CookieFactory

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = request.cookies[CookieNames.session]?.value, !token.isEmpty,
            !request.uri.path.hasPrefix("/api/"), !request.uri.path.hasPrefix("/static/")
        else {
            return try await next(request, context)
        }
        var context = context
        let now = services.now()
        let policy = services.config.sessionPolicy
        guard let (session, user) = try await services.auth.session(tokenHash: Secrets.sha256Hex(token)) else {
            context.sessionExpired = true
            var response = try await next(request, context)
            response.setCookie(cookies.clear(CookieNames.session))
            return response
        }
        guard policy.isValid(createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, now: now) else {
            try await services.auth.deleteSession(id: session.id)
            context.sessionExpired = true
            var response = try await next(request, context)
            response.setCookie(cookies.clear(CookieNames.session))
            return response
        }
        if policy.needsTouch(lastSeenAt: session.lastSeenAt, now: now) {
            try await services.auth.touchSession(id: session.id, now: now)
        }
        context.auth = try await Self.authenticated(
            user: user, session: session, clientAddress: context.clientAddress, services: services)
        context.language = user.language
        return try await next(request, context)
    }

    static func authenticated(
        user: User, session: SessionRecord?, clientAddress: String, services: AppServices
    ) async throws -> Authenticated {
        let scope = try await services.identity.scope(for: user, clientAddress: clientAddress)
        let stores = try await services.identity.stores(scope: scope)
        // Administrators see every store but work in none until they pick one.
        let visibleForSwitching = scope.isAdmin ? stores.filter { $0.active } : stores
        let current =
            visibleForSwitching.first { $0.id == session?.currentStoreId } ?? (scope.isAdmin ? nil : stores.first)
        return Authenticated(
            user: user, scope: scope, session: session, stores: visibleForSwitching, currentStore: current)
    }
}
