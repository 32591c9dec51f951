import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import RevisitCore
import RevisitStorage
import RevisitWeb

/// The whole web app on a test database, with a hand-moved clock and the fixture organisation.
public struct TestApp: Sendable {
    public let services: AppServices
    public let clock: TestClock
    public let fixture: Fixture
    /// Every route the router has, as "METHOD /path" with `:name` parameters.
    public let routes: [Route]

    public struct Route: Sendable, Hashable, CustomStringConvertible {
        public let method: String
        public let path: String
        public var description: String { "\(method) \(path)" }
    }

    /// Test configuration: cheap bcrypt so tests stay fast, and X-Forwarded-For trusted so tests can
    /// act from several client addresses.
    /// The data folder (uploads) is a fresh temporary one.
    public static func config() -> AppConfig {
        AppConfig(
            dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(
                "revisit-tests/web-\(UUID().uuidString)"
            ).path, passwordHashCost: 4, trustForwardedFor: true)
    }

    public static func with(
        _ engine: DatabaseEngine, configure: (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable (TestApp, WebAgentFactory) async throws -> Void
    ) async throws {
        let registry = PrometheusCollectorRegistry()
        try await TestDatabase.with(engine, metrics: PrometheusMetricsFactory(registry: registry)) { database in
            var config = config()
            configure(&config)
            let clock = TestClock()
            let services = try await AppServices(
                config: config, database: database, hasher: PasswordHasher(cost: config.passwordHashCost),
                metrics: registry, now: clock.function, logger: TestDatabase.logger)
            let fixture = try await Fixture.make(identity: services.identity, hasher: services.hasher)
            let router = try RevisitApp.router(services: services)
            let routes = router.routes.map { Route(method: $0.method.rawValue, path: $0.path.description) }
            let app = TestApp(services: services, clock: clock, fixture: fixture, routes: routes)
            let application = Application(router: router, logger: TestDatabase.logger)
            try await application.test(.router) { client in
                try await body(app, WebAgentFactory(client: client))
            }
        }
    }
}

/// Makes browsers that share the app's test client.
public struct WebAgentFactory: Sendable {
    public let client: any TestClientProtocol

    public func agent(address: String = "10.0.0.1") -> WebAgent { WebAgent(client: client, address: address) }

    /// A browser already signed in as `login`.
    public func signedIn(_ login: String, address: String = "10.0.0.1") async throws -> WebAgent {
        let agent = agent(address: address)
        let response = try await agent.login(login, Fixture.password)
        guard response.status == .seeOther else {
            throw TestFailure("sign-in as \(login) answered \(response.status): \(response.text)")
        }
        return agent
    }

    /// Sends an API request with a bearer token.
    public func api(
        _ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension TestResponse {
    public var text: String { String(buffer: body) }

    public func cookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }

    public func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
    }
}
