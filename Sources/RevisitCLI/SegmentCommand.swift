import ArgumentParser
import Foundation
import RevisitCore
import RevisitStorage

struct SegmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Classify customers: value pyramid, loyalty quadrant, RFM and churn stage (DOMAIN §3).",
        discussion: """
            Runs for one store (--store) or every active store, as of a day (default: today in each \
            store's time zone). The last line of output is a JSON summary per store (an array when there \
            are several).
            """)

    @Option(help: "Code of the store; every active store when left out.") var store: String?
    @Option(name: .customLong("as-of"), help: "The day to classify as of, YYYY-MM-DD.") var asOf: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let asOf, LocalDate(asOf) == nil { throw ValidationError("--as-of must be a day as YYYY-MM-DD") }
    }

    func run() async throws {
        try await StoreRunCommand.run(database: database, store: store, asOf: asOf) { db, target, day in
            let run = try await SQLSegmentStore(database: db, now: { Date() }).run(
                storeId: target.id, asOf: day, trigger: .cli, scope: .system)
            let phases = run.phases.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            StoreRunCommand.log(
                "\(target.code): \(run.counts.customers) customers in \(run.durationMs) ms (\(phases.joined(separator: ", ")))"
            )
            return SegmentSummary(store: target.code, run: run)
        }
    }
}

/// The contract's summary line for one store.
struct SegmentSummary: Encodable {
    let store: String
    let asOf: String
    let customers: Int
    let value: [String: Int]
    let quadrant: [String: Int]
    let churnStage: [String: Int]

    init(store: String, run: SegmentRun) {
        self.store = store
        asOf = run.asOf.description
        customers = run.counts.customers
        value = run.counts.value
        quadrant = run.counts.quadrant
        churnStage = run.counts.churnStage
    }
}
