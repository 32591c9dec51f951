import Foundation
import Hummingbird
import RevisitCore

/// The sign-in page, sign-in, sign-out and the anonymous language switch.
struct LoginController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(Paths.root)) { _, context -> Response in
            Response.redirect(to: context.auth == nil ? Paths.login : Paths.home, type: .normal)
        }
        router.get(RouterPath(Paths.login)) { request, context in try await self.page(request, context) }
        router.post(RouterPath(Paths.login)) { request, context in try await self.login(request, context) }
        router.post(RouterPath(Paths.logout)) { request, context in try await self.logout(request, context) }
        router.get(RouterPath(Paths.language)) { request, context in self.switchLanguage(request, context) }
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if context.auth != nil { return Response.redirect(to: Paths.home, type: .normal) }
        let expired = request.uri.queryParameters.get("expired") != nil
        return loginPage(
            context, login: "",
            error: expired ? services.localizer.text("error.session_expired", context.language) : nil,
            status: .ok, csrf: request.cookies[CookieNames.loginCSRF]?.value)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = context.form
        let login = String(form["login"].prefix(100))
        do {
            let user = try await Authenticator(services: services).authenticate(
                login: login, password: form["password"], clientAddress: context.clientAddress)
            let token = Secrets.randomToken()
            let scopeStores = try await SessionMiddleware.authenticated(
                user: user, session: nil, clientAddress: context.clientAddress, services: services)
            // Always a new token at sign-in, so a token planted before sign-in is worthless.
            _ = try await services.auth.createSession(
                userId: user.id, tokenHash: Secrets.sha256Hex(token), csrfToken: Secrets.randomToken(),
                currentStoreId: scopeStores.currentStore?.id, now: services.now(), clientAddress: context.clientAddress)
            var response = Response.seeOther(Self.safeNext(form["next"]) ?? Paths.home, cookies: cookies)
            response.setCookie(cookies.make(CookieNames.session, token))
            response.setCookie(cookies.clear(CookieNames.loginCSRF))
            return response
        } catch let error as RevisitError where error.kind == .unauthorized || error.kind == .tooManyRequests {
            let status: HTTPResponse.Status = error.kind == .tooManyRequests ? .tooManyRequests : .unauthorized
            var response = loginPage(
                context, login: login, error: services.localizer.message(for: error, context.language), status: status,
                csrf: request.cookies[CookieNames.loginCSRF]?.value)
            if let retryAfter = error.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let auth = context.auth, let session = auth.session {
            try await services.auth.deleteSession(id: session.id)
            try await services.audit.append(
                AuditRecord(action: .logout, entityType: "user", entityId: String(auth.user.id)),
                actor: auth.scope.actor)
        }
        var response = Response.seeOther(Paths.login, cookies: cookies)
        response.setCookie(cookies.clear(CookieNames.session))
        return response
    }

    func switchLanguage(_ request: Request, _ context: AppRequestContext) -> Response {
        let language = Language(loose: request.uri.queryParameters.get("to") ?? "") ?? .default
        var response = Response.redirect(to: Self.safeNext(request.uri.queryParameters.get("next")) ?? Paths.login)
        response.setCookie(cookies.make(CookieNames.language, language.rawValue, maxAge: 365 * 24 * 3600))
        return response
    }

    private func loginPage(
        _ context: AppRequestContext, login: String, error: String?, status: HTTPResponse.Status, csrf: String?
    ) -> Response {
        let token = csrf.flatMap { $0.isEmpty ? nil : $0 } ?? Secrets.randomToken()
        var response = services.renderer.render(
            "auth/login", titleKey: "login.title",
            view: LoginPage(login: login, error: error, csrf: token, action: Paths.login), context: context,
            status: status)
        response.setCookie(cookies.make(CookieNames.loginCSRF, token))
        return response
    }

    /// Only same-site paths, so the login form cannot be used to bounce people elsewhere.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return nil }
        return next
    }
}

struct LoginPage {
    let login: String
    let error: String?
    let csrf: String
    let action: String
}
