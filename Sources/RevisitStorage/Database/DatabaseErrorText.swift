import Logging
import NIOPosix
import PostgresNIO

/// A database failure in words a person running the CLI can act on. postgres-nio's `PSQLError` prints a
/// fixed "Generic description" (it keeps queries and values out of logs by default), and its pool, when
/// it cannot connect, only says its circuit breaker tripped: neither told the store's IT person that the
/// database name was wrong or the server down.
public enum DatabaseErrorText {
    /// The server's own message and SQLSTATE, or what failed on the way to the server; nil for an error
    /// that is not PostgreSQL's.
    public static func describe(_ error: any Error) -> String? {
        guard let error = error as? PSQLError else { return nil }
        if let info = error.serverInfo, let message = info[.message] {
            var text = "PostgreSQL: \(message)"
            if let detail = info[.detail] { text += " (\(detail))" }
            if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
            return text
        }
        var text = "PostgreSQL: \(error.code)"
        if let underlying = error.underlying { text += ": \(underlying)" }
        return text
    }

    /// Connects once, outside the pool, and throws why that failed. The pool retries a connection it
    /// cannot make for a minute before giving up (a mistyped database name took 67 s to be reported), so
    /// commands look first.
    public static func requireReachable(url: String?) async throws {
        guard let url, !url.isEmpty else { return }
        let configuration = try PostgresURL.connectionConfiguration(from: url)
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0,
                logger: Logger(label: "revisit.diagnosis"))
            try? await connection.close()
        } catch {
            throw Unavailable(message: describe(error) ?? "PostgreSQL: \(error)")
        }
    }

    /// When a use of a PostgreSQL database failed through the pool: the reason a connection of its own
    /// fails with, in place of the pool's error, or the error as it was.
    public static func explained(_ error: any Error, url: String?) async -> any Error {
        guard !(error is PSQLError) else { return error }
        do {
            try await requireReachable(url: url)
            return error
        } catch let unreachable {
            return unreachable
        }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
