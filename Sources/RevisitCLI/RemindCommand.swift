import ArgumentParser
import Foundation
import RevisitCore
import RevisitStorage

struct RemindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "Run the reminder rules: maintenance, new-car services, insurance, inspection, licence, warranty, "
            + "win-back and greetings (DOMAIN §5).",
        discussion: """
            Runs for one store (--store) or every active store, as of a day (default: today in each \
            store's time zone). Each reminder is created once: a second run the same day creates nothing. \
            The last line of output is a JSON summary per store (an array when there are several).
            """)

    @Option(help: "Code of the store; every active store when left out.") var store: String?
    @Option(name: .customLong("as-of"), help: "The day to run as of, YYYY-MM-DD.") var asOf: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let asOf, LocalDate(asOf) == nil { throw ValidationError("--as-of must be a day as YYYY-MM-DD") }
    }

    func run() async throws {
        try await CLI.run {
            let summaries: [RemindSummary] = try await database.withDatabase(logger: CLI.logger) { db, _ in
                let identity = SQLIdentityStore(database: db, now: { Date() })
                let reminders = SQLReminderStore(database: db, now: { Date() })
                let stores =
                    if let store { [try await identity.store(code: store.uppercased(), scope: .system)] } else {
                        try await identity.stores(scope: .system).filter(\.active)
                    }
                var summaries: [RemindSummary] = []
                for target in stores {
                    let zone = TimeZone(identifier: target.timeZone) ?? TimeZone(identifier: Store.defaultTimeZone)!
                    let day = asOf.flatMap(LocalDate.init) ?? LocalDate(Date(), timeZone: zone)
                    let run = try await reminders.run(storeId: target.id, asOf: day, trigger: .cli, scope: .system)
                    let created = run.created.values.reduce(0, +)
                    FileHandle.standardError.write(
                        Data(
                            "\(target.code): \(created) created, \(run.alreadyExisting) already there, \(run.converted) converted in \(run.durationMs) ms\n"
                                .utf8))
                    summaries.append(RemindSummary(store: target.code, run: run))
                }
                return summaries
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = summaries.count == 1 ? try encoder.encode(summaries[0]) : try encoder.encode(summaries)
            print(String(decoding: json, as: UTF8.self))
        }
    }
}

/// The contract's summary line for one store.
struct RemindSummary: Encodable {
    let store: String
    let asOf: String
    let created: [String: Int]
    let alreadyExisting: Int

    init(store: String, run: ReminderRun) {
        self.store = store
        asOf = run.asOf.description
        created = run.created
        alreadyExisting = run.alreadyExisting
    }
}
