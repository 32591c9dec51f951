import PostgresNIO
import SQLiteNIO

/// Recognises a unique-key violation from either engine, so a race between two inserts still gives
/// the person a 409 with the field, not a 500.
enum ConstraintViolation {
    static func isUnique(_ error: any Error) -> Bool {
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
        if let error = error as? SQLiteError { return "\(error)".contains("UNIQUE constraint failed") }
        return false
    }
}
