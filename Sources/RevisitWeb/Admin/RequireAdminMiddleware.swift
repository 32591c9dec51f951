import Hummingbird
import RevisitCore

/// The admin area answers 403 to everyone but administrators (the store methods check again).
struct RequireAdminMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try context.scope.requireAdmin()
        return try await next(request, context)
    }
}

/// A choice in a select list.
struct Option {
    let value: String
    let label: String
    let selected: Bool
}
