import Foundation
import Hummingbird
import RevisitCore

/// Every form post carries a `_csrf` field: the session's token when signed in, otherwise the value of
/// the login cookie (double submit). The parsed form is kept in the context so handlers do not re-read it.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The gateway's webhooks carry a signature instead.
        guard request.method == .post, !request.uri.path.hasPrefix("/api/"), !request.uri.path.hasPrefix("/webhooks/")
        else {
            return try await next(request, context)
        }
        var request = request
        var context = context
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let sent: String
        if contentType.hasPrefix("multipart/form-data") {
            // File uploads are streamed to disk by their handler, so the token rides in the form's URL.
            sent = request.uri.queryParameters.get("_csrf") ?? ""
        } else {
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            guard contentType.hasPrefix("application/x-www-form-urlencoded") || body.readableBytes == 0 else {
                throw RevisitError(.badRequest, code: .malformedForm)
            }
            context.form = FormData(urlEncoded: String(buffer: body))
            sent = context.form["_csrf"]
        }
        let expected: String? =
            if let session = context.auth?.session {
                session.csrfToken
            } else {
                request.cookies[CookieNames.loginCSRF]?.value
            }
        guard let expected, !expected.isEmpty, Secrets.constantTimeEquals(sent, expected) else {
            if context.sessionExpired { throw RevisitError(.unauthorized, code: .sessionExpired) }
            throw RevisitError(.forbidden, code: .csrfMissing)
        }
        return try await next(request, context)
    }
}

/// Pages behind it need a signed-in user; anonymous requests go to the login page.
struct RequireLoginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.auth != nil else {
            throw RevisitError(.unauthorized, code: context.sessionExpired ? .sessionExpired : .unauthorized)
        }
        return try await next(request, context)
    }
}
