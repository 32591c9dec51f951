import Foundation

/// How messages leave (flags of `serve` and `worker`, then environment variables, then these defaults).
public struct SMSSettings: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        /// Writes each message to the database and a file: a store without a gateway.
        case log
        /// POSTs JSON to a gateway's HTTP API, signed with HMAC-SHA256.
        case http
    }

    public var provider: Provider
    public var url: String?
    /// Signs what we send and checks what the gateway's webhooks send us.
    public var secret: String?
    /// The gateway's status query; `{key}` is replaced by the idempotency key. Default: `<url>/{key}`.
    public var statusURL: String?
    /// The JSON body; `{{phone}}`, `{{text}}` and `{{key}}` are replaced by JSON-escaped values.
    public var bodyTemplate: String
    public var timeout: TimeInterval
    /// Where the log provider writes; default `<data dir>/sms.log`.
    public var logFile: String?
    /// Messages handed to the provider at once by one worker.
    public var concurrency: Int
    /// How long a claim lasts before another worker may take the message.
    public var lease: TimeInterval
    public var retry: RetryPolicy

    public static let defaultBodyTemplate = #"{"to":"{{phone}}","text":"{{text}}","idempotencyKey":"{{key}}"}"#

    public init(
        provider: Provider = .log, url: String? = nil, secret: String? = nil, statusURL: String? = nil,
        bodyTemplate: String = SMSSettings.defaultBodyTemplate, timeout: TimeInterval = 10, logFile: String? = nil,
        concurrency: Int = 32, lease: TimeInterval = 60, retry: RetryPolicy = RetryPolicy()
    ) {
        self.provider = provider
        self.url = url
        self.secret = secret
        self.statusURL = statusURL
        self.bodyTemplate = bodyTemplate
        self.timeout = timeout
        self.logFile = logFile
        self.concurrency = concurrency
        self.lease = lease
        self.retry = retry
    }

    /// The status query for a key.
    public func statusURL(for key: String) -> String? {
        if let statusURL { return statusURL.replacingOccurrences(of: "{key}", with: key) }
        guard let url else { return nil }
        return (url.hasSuffix("/") ? url : url + "/") + key
    }
}
