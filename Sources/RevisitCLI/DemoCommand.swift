import ArgumentParser
import Foundation
import RevisitCore
import RevisitStorage
import RevisitWeb

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill the database with a realistic synthetic dealership (same seed, same data).",
        discussion: """
            Creates the group DEMO with its stores and staff (logins analyst, manager, advisor, advisor2, csr, \
            marketing and sa-<store>-<n>; password revisit-demo), then customers with phones, vehicles with valid \
            VINs, and years of repair orders, with about 3 % dirty data. Refused when the demo group exists.
            """)

    @Option(help: "Number of stores (1–6).") var stores: Int = 3
    @Option(help: "Number of customers across all stores.") var customers: Int = 20_000
    @Option(help: "Years of repair-order history.") var years: Int = 5
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "The date the history ends (YYYY-MM-DD; default today in Asia/Shanghai).") var today: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...6).contains(stores) else { throw ValidationError("--stores must be 1 to 6") }
        guard customers >= 1 else { throw ValidationError("--customers must be at least 1") }
        guard (1...20).contains(years) else { throw ValidationError("--years must be 1 to 20") }
        if let today, LocalDate(today) == nil { throw ValidationError("--today must be YYYY-MM-DD") }
    }

    func run() async throws {
        try await CLI.run {
            let end =
                today.flatMap(LocalDate.init)
                ?? LocalDate(Date(), timeZone: TimeZone(identifier: Store.defaultTimeZone)!)
            let settings = DemoSettings(stores: stores, customers: customers, years: years, seed: seed, today: end)
            try await database.withDatabase(logger: CLI.logger) { db, _ in
                try await Self.seedAndReport(
                    settings: settings, database: db, identity: SQLIdentityStore(database: db, now: { Date() }),
                    hasher: PasswordHasher(cost: 12), say: say)
            }
        }
    }

    static func seedAndReport(
        settings: DemoSettings, database: Database, identity: any IdentityStore, hasher: PasswordHasher,
        say: @escaping @Sendable (String) -> Void
    ) async throws {
        let started = ContinuousClock.now
        let total = settings.customers
        let summary = try await DemoSeeder.seed(
            settings: settings, database: database, identity: identity, hasher: hasher, now: Date()
        ) { done in
            if done % 50_000 == 0 || done == total { say("  \(done) / \(total) customers") }
        }
        guard let summary else {
            say("The demo group already exists; nothing was added.")
            return
        }
        let seconds = (ContinuousClock.now - started).components.seconds
        say(
            "Demo dealership created in \(seconds) s: \(summary.stores) stores, \(summary.customers) customers, \(summary.vehicles) vehicles, \(summary.repairOrders) repair orders."
        )
        say("Demo logins: analyst, manager, advisor, advisor2, csr, marketing; password \(Bootstrap.demoPassword)")
    }
}
