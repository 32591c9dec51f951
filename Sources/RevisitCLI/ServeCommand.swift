import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import RevisitCore
import RevisitJobs
import RevisitStorage
import RevisitWeb
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web server (applies migrations first).")

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (env PORT; default 8080; 0 picks a free one).") var port: Int?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var sms: SMSOptions
    @Flag(name: .customLong("no-worker"), help: "Do not send the outbox from this process (run `revisit worker`).")
    var noWorker = false
    @Option(
        name: .customLong("public-url"),
        help:
            "The address people use, e.g. https://crm.example.com (https makes cookies Secure; env REVISIT_PUBLIC_URL)."
    )
    var publicURL: String?
    @Option(name: .customLong("log-format"), help: "text or json.") var logFormat: String = "text"
    @Option(
        name: .customLong("admin-password"),
        help:
            "Password for the first administrator on an empty database (env REVISIT_ADMIN_PASSWORD); generated and printed when absent."
    )
    var adminPassword: String?
    @Option(name: .customLong("idle-timeout"), help: "Minutes a session may sit unused.") var idleTimeout: Int = 120
    @Option(name: .customLong("absolute-timeout"), help: "Hours a session lasts at most.") var absoluteTimeout: Int = 12
    @Flag(
        name: .customLong("trust-proxy"),
        help: "Take the client address from X-Forwarded-For (only behind your own proxy).")
    var trustProxy = false
    @Flag(help: "On first start, also create a demo group, two stores and a user per role (password revisit-demo).")
    var demo = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var config = AppConfig(host: host)
        database.apply(to: &config, environment: environment)
        config.port = port ?? environment["PORT"].flatMap(Int.init) ?? 8080
        config.publicURL = publicURL ?? environment["REVISIT_PUBLIC_URL"]
        guard let format = AppConfig.LogFormat(rawValue: logFormat) else {
            throw ValidationError("--log-format must be text or json")
        }
        config.logFormat = format
        guard idleTimeout > 0, absoluteTimeout > 0 else { throw ValidationError("timeouts must be positive") }
        config.sessionPolicy = SessionPolicy(
            idleTimeout: TimeInterval(idleTimeout * 60), absoluteTimeout: TimeInterval(absoluteTimeout * 3600))
        config.trustForwardedFor = trustProxy
        config.sms = try sms.settings(environment: environment)
        let adminPassword = adminPassword ?? environment["REVISIT_ADMIN_PASSWORD"]
        let config2 = config
        try await CLI.run { try await serve(config: config2, adminPassword: adminPassword) }
    }

    private func serve(config: AppConfig, adminPassword: String?) async throws {
        LoggingSystem.bootstrap { label in
            switch config.logFormat {
            case .json: JSONLogHandler(label: label)
            case .text: StreamLogHandler.standardError(label: label)
            }
        }
        var logger = Logger(label: "revisit")
        logger.logLevel = .info
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let metrics = PrometheusMetricsFactory(registry: registry)

        try await DatabaseErrorText.requireReachable(url: config.databaseURL)
        let database = try Database.open(config: config, logger: logger, metrics: metrics)
        do {
            let applied = try await MigrationRunner(database: database, logger: logger).run()
            if !applied.isEmpty { logger.info("database ready", metadata: ["migrations": "\(applied)"]) }
            let services = try await AppServices(
                config: config, database: database, hasher: PasswordHasher(cost: config.passwordHashCost),
                metrics: registry, now: { Date() }, logger: logger)
            let admin = try await Bootstrap.ensureAdministrator(
                identity: services.identity, hasher: services.hasher, password: adminPassword)
            if admin.created {
                if let generated = admin.generatedPassword {
                    say("Created the administrator 'admin'. One-time password (shown only now): \(generated)")
                } else {
                    say("Created the administrator 'admin' with the given password.")
                }
            }
            if demo {
                try await DemoCommand.seedAndReport(
                    settings: DemoSettings(
                        today: LocalDate(Date(), timeZone: TimeZone(identifier: Store.defaultTimeZone)!)),
                    database: database, identity: services.identity, hasher: services.hasher, say: say)
            }
            let engine = database.engine.rawValue
            let app = try RevisitApp.application(services: services) { port in
                say("Revisit is listening on http://\(config.host):\(port) (\(engine))")
            }
            let sweeper = SessionSweeper(
                auth: services.auth, policy: config.sessionPolicy, throttle: config.loginThrottle, now: { Date() },
                logger: logger)
            let nightly = NightlySegmentation(
                identity: services.identity, segments: services.segments, now: { Date() }, logger: logger)
            let daily = DailyReminders(
                identity: services.identity, reminders: services.reminders, now: { Date() }, logger: logger)
            var background: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(service: app), .init(service: sweeper), .init(service: nightly), .init(service: daily),
            ]
            let provider = try SMSProviders.make(config.sms, dataDirectory: config.dataDirectory)
            if !noWorker {
                background.append(
                    .init(
                        service: OutboxWorker(
                            outbox: SQLOutbox(database: database, now: { Date() }), provider: provider,
                            settings: config.sms, now: { Date() }, logger: logger)))
            }
            let group = ServiceGroup(
                configuration: .init(
                    services: background, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                await SMSProviders.shutdown(provider)
                throw error
            }
            await SMSProviders.shutdown(provider)
            logger.info("stopped")
        } catch {
            await database.close()
            throw await DatabaseErrorText.explained(error, url: config.databaseURL)
        }
        await database.close()
    }
}

/// Writes a line to stdout at once (print is block-buffered when stdout is a file), so the first-run
/// password and the listening line reach a log file immediately.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
