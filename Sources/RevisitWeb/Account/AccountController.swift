import Foundation
import Hummingbird
import RevisitCore

/// The signed-in user's own page: language, password, API tokens, and the store switcher.
struct AccountController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(Paths.account)) { _, context in try await self.page(context) }
        router.post(RouterPath(Paths.accountLanguage)) { _, context in try await self.setLanguage(context) }
        router.post(RouterPath(Paths.accountPassword)) { _, context in try await self.changePassword(context) }
        router.post(RouterPath(Paths.accountTokens)) { _, context in try await self.createToken(context) }
        router.post("/account/tokens/:id/revoke") { _, context in try await self.revokeToken(context) }
        router.post(RouterPath(Paths.switchStore)) { _, context in try await self.switchStore(context) }
    }

    func page(
        _ context: AppRequestContext, newToken: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let auth = try context.requireAuth()
        let tokens = try await services.auth.apiTokens(userId: auth.user.id)
        let language = context.language
        let view = AccountPage(
            login: auth.user.login, name: auth.user.name,
            roleLabel: services.localizer.text(auth.user.role.labelKey, language),
            languages: Language.allCases.map { option in
                AccountPage.LanguageOption(
                    code: option.rawValue, label: services.localizer.text("language.name", option),
                    selected: option == auth.user.language)
            },
            tokens: tokens.map { token in
                AccountPage.TokenRow(
                    name: token.name, prefix: token.prefix, createdAt: DisplayFormat.instant(token.createdAt),
                    lastUsedAt: token.lastUsedAt.map { DisplayFormat.instant($0) } ?? "—",
                    revoked: token.revokedAt != nil, revokeHref: Paths.accountTokenRevoke(token.id))
            },
            newToken: newToken, error: error, csrf: auth.session?.csrfToken ?? "",
            languagePath: Paths.accountLanguage, passwordPath: Paths.accountPassword, tokensPath: Paths.accountTokens,
            minPassword: PasswordPolicy.minimumLength)
        return services.renderer.render(
            "account/account", titleKey: "account.title", view: view, context: context, status: status)
    }

    func setLanguage(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        guard let language = Language(loose: context.form["language"]) else {
            throw RevisitError(.validation, code: .invalidValue, field: "language")
        }
        try await services.identity.setLanguage(userId: auth.user.id, language: language, scope: auth.scope)
        var response = Response.seeOther(
            LoginController.safeNext(context.form["next"]) ?? Paths.account, flash: "flash.language_saved",
            cookies: cookies)
        response.setCookie(cookies.make(CookieNames.language, language.rawValue, maxAge: 365 * 24 * 3600))
        return response
    }

    func changePassword(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let form = context.form
        do {
            guard let (_, hash) = try await services.identity.credentials(login: auth.user.login),
                try await services.hasher.verify(form["current"], hash: hash)
            else { throw RevisitError(.validation, code: .invalidCredentials, field: "current") }
            try PasswordPolicy.check(form["password"])
            guard form["password"] == form["confirm"] else {
                throw RevisitError(.validation, code: .passwordMismatch, field: "confirm")
            }
            let newHash = try await services.hasher.hash(form["password"])
            try await services.identity.setPassword(
                userId: auth.user.id, passwordHash: newHash, endSessions: false, scope: auth.scope)
            return Response.seeOther(Paths.account, flash: "flash.password_changed", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation {
            return try await page(
                context, error: services.localizer.message(for: error, context.language), status: .unprocessableContent)
        }
    }

    func createToken(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        do {
            let (token, prefix) = Secrets.newApiToken()
            _ = try await services.auth.createApiToken(
                userId: auth.user.id, name: context.form["name"], tokenHash: Secrets.sha256Hex(token), prefix: prefix,
                now: services.now(), scope: auth.scope)
            // Shown once, on this response only; the database keeps just its digest.
            return try await page(context, newToken: token)
        } catch let error as RevisitError where error.kind == .validation {
            return try await page(
                context, error: services.localizer.message(for: error, context.language), status: .unprocessableContent)
        }
    }

    func revokeToken(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        try await services.auth.revokeApiToken(
            id: try context.parameters.requireID(), userId: auth.user.id, now: services.now(), scope: auth.scope)
        return Response.seeOther(Paths.account, flash: "flash.token_revoked", cookies: cookies)
    }

    func switchStore(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        guard let session = auth.session, let storeId = Int64(context.form["store"]),
            auth.stores.contains(where: { $0.id == storeId })
        else { throw RevisitError.notFound() }
        try await services.auth.setSessionStore(id: session.id, storeId: storeId)
        return Response.seeOther(
            LoginController.safeNext(context.form["next"]) ?? Paths.home, flash: "flash.store_switched",
            cookies: cookies)
    }
}

struct AccountPage {
    struct LanguageOption {
        let code: String
        let label: String
        let selected: Bool
    }
    struct TokenRow {
        let name: String
        let prefix: String
        let createdAt: String
        let lastUsedAt: String
        let revoked: Bool
        let revokeHref: String
    }
    let login: String
    let name: String
    let roleLabel: String
    let languages: [LanguageOption]
    let tokens: [TokenRow]
    let newToken: String?
    let error: String?
    let csrf: String
    let languagePath: String
    let passwordPath: String
    let tokensPath: String
    let minPassword: Int
}
