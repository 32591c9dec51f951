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
        try await StoreRunCommand.run(database: database, store: store, asOf: asOf) { db, target, day in
            let run = try await SQLReminderStore(database: db, now: { Date() }).run(
                storeId: target.id, asOf: day, trigger: .cli, scope: .system)
            StoreRunCommand.log(
                "\(target.code): \(run.created.values.reduce(0, +)) created, \(run.alreadyExisting) already there, "
                    + "\(run.converted) converted in \(run.durationMs) ms")
            return RemindSummary(store: target.code, run: run)
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
