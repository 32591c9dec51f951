import Foundation

/// Everything the server reads from flags and the environment, read once at start and passed down.
public struct AppConfig: Sendable {
    public enum LogFormat: String, Sendable, CaseIterable { case text, json }

    public var host: String
    public var port: Int
    public var dataDirectory: String
    /// nil means the embedded SQLite database in `dataDirectory`.
    public var databaseURL: String?
    /// The address people use to reach the server; an https one makes cookies Secure.
    public var publicURL: String?
    public var logFormat: LogFormat
    public var sessionPolicy: SessionPolicy
    public var loginThrottle: LoginThrottle
    /// bcrypt cost; production refuses anything below 12.
    public var passwordHashCost: UInt8
    /// Take the client address from X-Forwarded-For (only behind a proxy you run).
    public var trustForwardedFor: Bool
    /// The SMS provider the outbox worker sends through and the webhooks check signatures with.
    public var sms: SMSSettings

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./revisit-data",
        databaseURL: String? = nil, publicURL: String? = nil, logFormat: LogFormat = .text,
        sessionPolicy: SessionPolicy = SessionPolicy(), loginThrottle: LoginThrottle = LoginThrottle(),
        passwordHashCost: UInt8 = 12, trustForwardedFor: Bool = false, sms: SMSSettings = SMSSettings()
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.publicURL = publicURL
        self.logFormat = logFormat
        self.sessionPolicy = sessionPolicy
        self.loginThrottle = loginThrottle
        self.passwordHashCost = passwordHashCost
        self.trustForwardedFor = trustForwardedFor
        self.sms = sms
    }

    public var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    public var sqlitePath: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("revisit.sqlite").path
    }
}
