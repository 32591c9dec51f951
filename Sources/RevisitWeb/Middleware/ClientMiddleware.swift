import Foundation
import HTTPTypes
import Hummingbird
import RevisitCore

/// Works out who is asking before anything else: the client address (from X-Forwarded-For only when
/// the operator said a proxy is in front), the language for anonymous pages, and a pending flash message.
struct ClientMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustForwardedFor: Bool
    let cookies: CookieFactory

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor] {
            let first = forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !first.isEmpty { context.clientAddress = String(first.prefix(64)) }
        }
        if let code = request.cookies[CookieNames.language]?.value, let language = Language(loose: code) {
            context.language = language
        } else if let accept = request.headers[.acceptLanguage], let language = Language(loose: accept),
            language == .en, !accept.lowercased().contains("zh")
        {
            // Chinese stays the default; an English-only browser gets English until the user chooses.
            context.language = .en
        }
        let flash = request.cookies[CookieNames.flash]?.value
        if let flash, !flash.isEmpty { context.flash = flash }
        var response = try await next(request, context)
        if flash != nil, !response.setsCookie(named: CookieNames.flash) {
            response.setCookie(cookies.clear(CookieNames.flash))
        }
        return response
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
