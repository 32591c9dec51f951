import ArgumentParser
import Foundation
import RevisitCore
import RevisitStorage
import RevisitWeb

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user.",
            discussion:
                "Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")). Without --password a terminal is asked; with neither, a password is generated and printed."
        )

        @Option(help: "Sign-in name (lower-case letters, digits, . - _).") var login: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Role code.") var role: String
        @Option(name: .customLong("store"), help: "Code of a store the user works in (repeat for several).")
        var stores: [String] = []
        @Option(help: "Code of the group a group analyst reads.") var group: String?
        @Option(help: "Password (at least 8 characters).") var password: String?
        @Option(help: "Interface language: zh-CN or en.") var language: String = Language.default.rawValue
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let role = try Role(code: role)
                var password = password
                var generated = false
                if password == nil {
                    password = CLI.promptPassword("Password for \(login): ")
                }
                if password == nil {
                    password = Secrets.randomToken(bytes: 12)
                    generated = true
                }
                let chosen = password!
                try PasswordPolicy.check(chosen)
                let user = try await database.withDatabase(logger: CLI.logger) { db, _ in
                    let identity = SQLIdentityStore(database: db, now: { .now })
                    var storeIds: [Int64] = []
                    for code in stores { storeIds.append(try await identity.store(code: code, scope: .system).id) }
                    var groupId: Int64?
                    if let group { groupId = try await identity.group(code: group, scope: .system).id }
                    let draft = UserDraft(
                        login: login, name: name, role: role, groupId: groupId, storeIds: storeIds,
                        language: Language(loose: language) ?? .default)
                    _ = try draft.validated()
                    return try await identity.createUser(
                        draft, passwordHash: try await PasswordHasher(cost: 12).hash(chosen), scope: .system)
                }
                print("user \(user.login) created (id \(user.id), role \(user.role.rawValue))")
                if generated { print("password: \(chosen)") }
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for a user; the token is the last line printed.")

        @Option(help: "The user the token acts as.") var login: String
        @Option(help: "A label to recognise the token by.") var name: String = "cli"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let token = try await database.withDatabase(logger: CLI.logger) { db, _ in
                    let identity = SQLIdentityStore(database: db, now: { .now })
                    guard let (user, _) = try await identity.credentials(login: login), user.active else {
                        throw RevisitError(.notFound, code: .notFound, field: "login")
                    }
                    let (token, prefix) = Secrets.newApiToken()
                    _ = try await SQLAuthStore(database: db).createApiToken(
                        userId: user.id, name: name, tokenHash: Secrets.sha256Hex(token), prefix: prefix, now: .now,
                        scope: .system)
                    return token
                }
                print("API token for \(login) (shown once; keep it secret):")
                print(token)
            }
        }
    }
}
