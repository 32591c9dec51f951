import Foundation
import PostgresNIO

/// Turns `postgres://user:password@host:port/database?sslmode=disable` into a client configuration.
enum PostgresURL {
    struct Parts {
        var host: String
        var port: Int
        var user: String
        var password: String?
        var database: String
        var sslmode: String
        var schema: String?
    }

    static func parts(from string: String) throws -> Parts {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else { throw DatabaseError.badURL("expected postgres://user:password@host:port/database") }
        guard let host = components.host, !host.isEmpty else { throw DatabaseError.badURL("the host is missing") }
        guard let user = components.user, !user.isEmpty else { throw DatabaseError.badURL("the user is missing") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        return Parts(
            host: host, port: components.port ?? 5432, user: user, password: components.password,
            database: database.isEmpty ? user : database, sslmode: query["sslmode"] ?? "prefer",
            schema: query["search_path"].flatMap { $0.isEmpty ? nil : $0 })
    }

    static func configuration(from string: String) throws -> PostgresClient.Configuration {
        let parts = try parts(from: string)
        let tls: PostgresClient.Configuration.TLS
        switch parts.sslmode {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: tls)
        if let schema = parts.schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        return configuration
    }

    /// The same server for one connection of its own, outside the pool.
    static func connectionConfiguration(from string: String) throws -> PostgresConnection.Configuration {
        let parts = try parts(from: string)
        let tls: PostgresConnection.Configuration.TLS
        switch parts.sslmode {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full":
            tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: tls)
    }
}
