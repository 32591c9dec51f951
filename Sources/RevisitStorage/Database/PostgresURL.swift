import Foundation
import PostgresNIO

/// Turns `postgres://user:password@host:port/database?sslmode=disable` into a client configuration.
enum PostgresURL {
    static func configuration(from string: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else { throw DatabaseError.badURL("expected postgres://user:password@host:port/database") }
        guard let host = components.host, !host.isEmpty else { throw DatabaseError.badURL("the host is missing") }
        guard let user = components.user, !user.isEmpty else { throw DatabaseError.badURL("the user is missing") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? user : database, tls: tls)
        if let schema = query["search_path"], !schema.isEmpty {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return configuration
    }
}
