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

    /// When the first use of a PostgreSQL database failed: connects once outside the pool and, if that
    /// fails too, gives the reason in place of the pool's error.
    public static func explained(_ error: any Error, url: String?) async -> any Error {
        guard let url, !url.isEmpty, !(error is PSQLError),
            let configuration = try? PostgresURL.connectionConfiguration(from: url)
        else { return error }
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0,
                logger: Logger(label: "revisit.diagnosis"))
            try? await connection.close()
            return error
        } catch {
            return Unavailable(message: describe(error) ?? "PostgreSQL: \(error)")
        }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
