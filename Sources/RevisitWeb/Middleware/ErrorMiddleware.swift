import Foundation
import Hummingbird
import Logging
import RevisitCore

/// Turns every error into the answer a person can act on: JSON `{"error":{…}}` under /api, an error
/// page in the user's language elsewhere. Unexpected errors are logged and shown as a 500 without detail.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let localizer: Localizer
    let renderer: PageRenderer

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let revisitError = Self.revisitError(from: error)
            if revisitError.code == .internalError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            let status = Self.status(for: revisitError)
            let message = localizer.message(for: revisitError, context.language)
            // The API and the gateway's webhooks answer machines: JSON errors, never a login page.
            if request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix("/webhooks/") {
                var response = try Response.json(
                    ApiErrorBody(
                        error: .init(code: revisitError.code.rawValue, message: message, field: revisitError.field)),
                    status: status)
                if let retryAfter = revisitError.retryAfter {
                    response.headers[.retryAfter] = String(retryAfter)
                }
                return response
            }
            if revisitError.kind == .unauthorized {
                return Response.redirect(
                    to: revisitError.code == .sessionExpired ? Paths.login + "?expired=1" : Paths.login, type: .normal)
            }
            var response = renderer.errorPage(status: status, message: message, context: context)
            if let retryAfter = revisitError.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }

    static func revisitError(from error: any Error) -> RevisitError {
        if let error = error as? RevisitError { return error }
        if let error = error as? any HTTPResponseError {
            switch error.status {
            case .notFound: return RevisitError(.notFound, code: .notFound)
            case .methodNotAllowed: return RevisitError(.badRequest, code: .methodNotAllowed)
            case .unauthorized: return RevisitError(.unauthorized, code: .unauthorized)
            case .forbidden: return RevisitError(.forbidden, code: .forbidden)
            case .contentTooLarge:
                return RevisitError(.badRequest, code: .tooLong, field: "body", args: ["max": "2 MB"])
            default:
                if error.status.code < 500 { return RevisitError(.badRequest, code: .invalidValue) }
            }
        }
        if error is DecodingError { return RevisitError(.badRequest, code: .malformedJSON) }
        return RevisitError(.badRequest, code: .internalError)
    }

    static func status(for error: RevisitError) -> HTTPResponse.Status {
        if error.code == .internalError { return .internalServerError }
        if error.code == .methodNotAllowed { return .methodNotAllowed }
        switch error.kind {
        case .badRequest: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .validation: return .unprocessableContent
        case .tooManyRequests: return .tooManyRequests
        }
    }
}

/// The JSON error shape of the API.
struct ApiErrorBody: Codable {
    struct Detail: Codable {
        let code: String
        let message: String
        let field: String?
    }
    let error: Detail
}
