import PostgresNIO
import SQLKit

/// Rows read straight from postgres-nio and decoded by position, for the queries that return a store's
/// every customer. Through SQLKit each cell is looked up by name and decoded through an existential (the
/// kept classes of 100,000 customers took 848 ms against PostgreSQL's 44 ms to produce them); through
/// postgres-nio's async row sequence each row hops between the event loop and the task (447 ms). Here
/// each row is decoded in a callback on the connection's event loop, as it arrives.
enum PostgresRows {
    /// Runs `sql` (no binds: its constants are validated numbers and days) on the connection `db` runs on,
    /// so it reads inside that handle's transaction; the rows `transform` keeps, in order.
    static func map<Row: Sendable>(
        _ sql: String, on db: any SQLDatabase, _ transform: @escaping @Sendable (PostgresRow) throws -> Row?
    ) async throws -> [Row] {
        guard let session = db as? PostgresConnectionSQL else {
            preconditionFailure("PostgresRows needs a handle from Database on PostgreSQL")
        }
        let rows = Rows<Row>()
        _ = try await session.connection.query(PostgresQuery(unsafeSQL: sql), logger: session.connection.logger) {
            if let row = try transform($0) { rows.kept.append(row) }
        }.get()
        return rows.kept
    }

    /// Appended to only by the callbacks, one after another on the connection's event loop, and read once
    /// the query's future has completed.
    private final class Rows<Row>: @unchecked Sendable {
        var kept: [Row] = []
    }
}

/// A row's cells read one after the other, each as a concrete type. `PostgresRow.decode` of a tuple goes
/// through parameter packs, which instantiate type metadata at run time on every row: at 100k customers
/// those lookups were a sixth of the segmentation run's own CPU.
struct PostgresCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) { cells = row.makeIterator() }

    mutating func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
        guard let cell = cells.next() else {
            throw PostgresDecodingError.Code.missingData
        }
        return try cell.decode(T.self)
    }
}
