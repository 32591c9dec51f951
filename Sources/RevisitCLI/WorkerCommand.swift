import ArgumentParser
import Foundation
import Logging
import RevisitCore
import RevisitJobs
import RevisitStorage
import ServiceLifecycle
import UnixSignals

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Send the outbox without a web server (serve runs one too); run several on PostgreSQL.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var sms: SMSOptions
    @Flag(help: "Send what is due now, then stop, instead of running until SIGTERM.") var once = false

    func run() async throws {
        let settings = try sms.settings()
        try await CLI.run {
            try await database.withDatabase(logger: CLI.logger) { db, config in
                var logger = Logger(label: "revisit.worker")
                logger.logLevel = .info
                let provider = try SMSProviders.make(settings, dataDirectory: config.dataDirectory)
                let worker = OutboxWorker(
                    outbox: SQLOutbox(database: db, now: { Date() }), provider: provider, settings: settings,
                    now: { Date() }, logger: logger)
                do {
                    if once {
                        while try await worker.tick() {}
                    } else {
                        let group = ServiceGroup(
                            configuration: .init(
                                services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint],
                                logger: logger))
                        try await group.run()
                    }
                } catch {
                    await SMSProviders.shutdown(provider)
                    throw error
                }
                await SMSProviders.shutdown(provider)
            }
        }
    }
}
