import ArgumentParser
import Foundation
import RevisitCore

/// The SMS provider's settings, shared by `serve` and `worker`: flags first, then environment variables.
struct SMSOptions: ParsableArguments {
    @Option(name: .customLong("sms-provider"), help: "log (default) or http (env REVISIT_SMS_PROVIDER).")
    var provider: String?
    @Option(name: .customLong("sms-url"), help: "The gateway's send URL for the http provider (env REVISIT_SMS_URL).")
    var url: String?
    @Option(
        name: .customLong("sms-secret"),
        help: "Shared secret for the HMAC-SHA256 signatures, both ways (env REVISIT_SMS_SECRET).")
    var secret: String?
    @Option(
        name: .customLong("sms-status-url"),
        help:
            "The gateway's status query, {key} for the idempotency key (env REVISIT_SMS_STATUS_URL; default <sms-url>/{key})."
    )
    var statusURL: String?
    @Option(
        name: .customLong("sms-body"),
        help: "JSON body template with {{phone}}, {{text}}, {{key}} (env REVISIT_SMS_BODY).")
    var body: String?
    @Option(name: .customLong("sms-timeout"), help: "Seconds to wait for the gateway (env REVISIT_SMS_TIMEOUT; 10).")
    var timeout: Double?
    @Option(name: .customLong("sms-log-file"), help: "File of the log provider (default <data dir>/sms.log).")
    var logFile: String?
    @Option(
        name: .customLong("outbox-lease"),
        help: "Seconds a worker's claim on a message lasts (env REVISIT_OUTBOX_LEASE; 60).")
    var lease: Double?

    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SMSSettings {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var settings = SMSSettings()
        let providerName = provider ?? env("REVISIT_SMS_PROVIDER") ?? "log"
        guard let provider = SMSSettings.Provider(rawValue: providerName) else {
            throw ValidationError("--sms-provider must be log or http")
        }
        settings.provider = provider
        settings.url = url ?? env("REVISIT_SMS_URL")
        settings.secret = secret ?? env("REVISIT_SMS_SECRET")
        settings.statusURL = statusURL ?? env("REVISIT_SMS_STATUS_URL")
        settings.bodyTemplate = body ?? env("REVISIT_SMS_BODY") ?? SMSSettings.defaultBodyTemplate
        settings.timeout = timeout ?? env("REVISIT_SMS_TIMEOUT").flatMap(Double.init) ?? 10
        settings.logFile = logFile
        settings.lease = lease ?? env("REVISIT_OUTBOX_LEASE").flatMap(Double.init) ?? 60
        guard settings.timeout > 0, settings.lease > settings.timeout else {
            throw ValidationError("--outbox-lease must be longer than --sms-timeout, and both positive")
        }
        if provider == .http && settings.url == nil { throw ValidationError("--sms-provider http needs --sms-url") }
        return settings
    }
}
