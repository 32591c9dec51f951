import ArgumentParser
import Foundation
import RevisitCore
import RevisitStorage

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Manage stores.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a store.")

        @Option(help: "Short unique code, e.g. BJ01.") var code: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Code of the group the store belongs to.") var group: String?
        @Option(help: "IANA time zone of the store.") var timezone: String = Store.defaultTimeZone
        @Option(help: "The store's phone number.") var phone: String = ""
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let store = try await database.withDatabase(logger: CLI.logger) { db, _ in
                    let identity = SQLIdentityStore(database: db, now: { .now })
                    var groupId: Int64?
                    if let group { groupId = try await identity.group(code: group, scope: .system).id }
                    return try await identity.createStore(
                        StoreDraft(code: code, name: name, groupId: groupId, timeZone: timezone, phone: phone),
                        scope: .system)
                }
                print("store \(store.code) created (id \(store.id))")
            }
        }
    }
}

struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Manage dealer groups and manufacturers.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a group.")

        @Option(help: "Short unique code, e.g. NORTH.") var code: String
        @Option(help: "Display name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                let group = try await database.withDatabase(logger: CLI.logger) { db, _ in
                    try await SQLIdentityStore(database: db, now: { .now })
                        .createGroup(GroupDraft(code: code, name: name), scope: .system)
                }
                print("group \(group.code) created (id \(group.id))")
            }
        }
    }
}
