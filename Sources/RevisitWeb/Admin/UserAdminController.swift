import Foundation
import Hummingbird
import RevisitCore

/// Administrators create users, assign roles and stores, reset passwords and deactivate accounts.
struct UserAdminController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(Paths.adminUsers)) { _, context in try await self.list(context) }
        router.get(RouterPath(Paths.adminUserNew)) { _, context in
            try await self.form(context, draft: UserDraft(login: "", name: "", role: .serviceAdvisor))
        }
        router.post(RouterPath(Paths.adminUsers)) { _, context in try await self.create(context) }
        router.get("/admin/users/:id/edit") { _, context in try await self.edit(context) }
        router.post("/admin/users/:id") { _, context in try await self.update(context) }
        router.post("/admin/users/:id/password") { _, context in try await self.resetPassword(context) }
        router.post("/admin/users/:id/deactivate") { _, context in try await self.setActive(context, active: false) }
        router.post("/admin/users/:id/activate") { _, context in try await self.setActive(context, active: true) }
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope
        let stores = try await services.identity.stores(scope: scope)
        let groups = try await services.identity.groups(scope: scope)
        let language = context.language
        let rows = try await services.identity.users(scope: scope).map { user in
            UserListPage.Row(
                login: user.login, name: user.name, roleLabel: services.localizer.text(user.role.labelKey, language),
                where: user.role == .groupAnalyst
                    ? (groups.first { $0.id == user.groupId }?.name ?? "")
                    : stores.filter { user.storeIds.contains($0.id) }.map(\.code).joined(separator: ", "),
                active: user.active, editHref: Paths.adminUserEdit(user.id))
        }
        return services.renderer.render(
            "admin/users", titleKey: "admin.users.title", view: UserListPage(rows: rows, newHref: Paths.adminUserNew),
            context: context)
    }

    func edit(_ context: AppRequestContext) async throws -> Response {
        let user = try await services.identity.user(id: try context.parameters.requireID(), scope: try context.scope)
        let draft = UserDraft(
            login: user.login, name: user.name, role: user.role, groupId: user.groupId, storeIds: user.storeIds,
            language: user.language)
        return try await form(context, draft: draft, user: user)
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let form = context.form
        let draft = Self.draft(from: form)
        do {
            _ = try Role(code: form["role"])
            try PasswordPolicy.check(form["password"])
            let hash = try await services.hasher.hash(form["password"])
            let user = try await services.identity.createUser(draft, passwordHash: hash, scope: try context.scope)
            return Response.seeOther(Paths.adminUserEdit(user.id), flash: "flash.user_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await self.form(context, draft: draft, error: error)
        }
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope
        let user = try await services.identity.user(id: try context.parameters.requireID(), scope: scope)
        let draft = Self.draft(from: context.form)
        do {
            _ = try Role(code: context.form["role"])
            _ = try await services.identity.updateUser(id: user.id, draft, scope: scope)
            return Response.seeOther(Paths.adminUsers, flash: "flash.user_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await form(context, draft: draft, user: user, error: error)
        }
    }

    func resetPassword(_ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope
        let user = try await services.identity.user(id: try context.parameters.requireID(), scope: scope)
        do {
            try PasswordPolicy.check(context.form["password"])
            let hash = try await services.hasher.hash(context.form["password"])
            // A reset by someone else ends the user's sessions: whoever had them must sign in again.
            try await services.identity.setPassword(
                userId: user.id, passwordHash: hash, endSessions: true, scope: scope)
            return Response.seeOther(Paths.adminUserEdit(user.id), flash: "flash.password_reset", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation {
            let draft = UserDraft(
                login: user.login, name: user.name, role: user.role, groupId: user.groupId, storeIds: user.storeIds,
                language: user.language)
            return try await form(context, draft: draft, user: user, error: error)
        }
    }

    func setActive(_ context: AppRequestContext, active: Bool) async throws -> Response {
        let scope = try context.scope
        let user = try await services.identity.user(id: try context.parameters.requireID(), scope: scope)
        _ = try await services.identity.setActive(userId: user.id, active: active, scope: scope)
        return Response.seeOther(
            Paths.adminUserEdit(user.id), flash: active ? "flash.user_activated" : "flash.user_deactivated",
            cookies: cookies)
    }

    static func draft(from form: FormData) -> UserDraft {
        UserDraft(
            login: form["login"], name: form["name"], role: Role(rawValue: form["role"]) ?? .serviceAdvisor,
            groupId: Int64(form["group"]), storeIds: form.all("stores").compactMap { Int64($0) },
            language: Language(rawValue: form["language"]) ?? .default)
    }

    func form(
        _ context: AppRequestContext, draft: UserDraft, user: User? = nil, error: RevisitError? = nil
    )
        async throws -> Response
    {
        let scope = try context.scope
        let stores = try await services.identity.stores(scope: scope)
        let groups = try await services.identity.groups(scope: scope)
        let language = context.language
        let view = UserFormPage(
            action: user.map { Paths.adminUser($0.id) } ?? Paths.adminUsers, isNew: user == nil, login: draft.login,
            name: draft.name,
            roles: Role.allCases.map {
                Option(
                    value: $0.rawValue, label: services.localizer.text($0.labelKey, language),
                    selected: $0 == draft.role)
            },
            groups: [Option(value: "", label: "—", selected: draft.groupId == nil)]
                + groups.map {
                    Option(value: String($0.id), label: "\($0.code) \($0.name)", selected: $0.id == draft.groupId)
                },
            stores: stores.map {
                Option(value: String($0.id), label: "\($0.code) \($0.name)", selected: draft.storeIds.contains($0.id))
            },
            languages: Language.allCases.map {
                Option(
                    value: $0.rawValue, label: services.localizer.text("language.name", $0),
                    selected: $0 == draft.language)
            },
            active: user?.active ?? true,
            passwordHref: user.map { Paths.adminUserPassword($0.id) },
            deactivateHref: user.flatMap {
                $0.active && $0.id != scope.userId ? Paths.adminUserDeactivate($0.id) : nil
            },
            activateHref: user.flatMap { $0.active ? nil : Paths.adminUserActivate($0.id) },
            error: error.map { services.localizer.message(for: $0, language) },
            csrf: context.auth?.session?.csrfToken ?? "", cancelHref: Paths.adminUsers,
            minPassword: PasswordPolicy.minimumLength)
        return services.renderer.render(
            "admin/user_form", titleKey: user == nil ? "admin.users.new" : "admin.users.edit", view: view,
            context: context, status: error.map(ErrorMiddleware.status(for:)) ?? .ok)
    }
}

struct UserListPage {
    struct Row {
        let login: String
        let name: String
        let roleLabel: String
        let `where`: String
        let active: Bool
        let editHref: String
    }
    let rows: [Row]
    let newHref: String
}

struct UserFormPage {
    let action: String
    let isNew: Bool
    let login: String
    let name: String
    let roles: [Option]
    let groups: [Option]
    let stores: [Option]
    let languages: [Option]
    let active: Bool
    let passwordHref: String?
    let deactivateHref: String?
    let activateHref: String?
    let error: String?
    let csrf: String
    let cancelHref: String
    let minPassword: Int
}
