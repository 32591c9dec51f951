import Foundation
import RevisitSQLiteShim
import Synchronization
import VaporCSQLite

/// Read-only SQLite connections that keep their prepared statements, for the few read paths that run on
/// every ring of a telephone (the screen pop).
///
/// Why not sqlite-nio: it prepares every statement anew and hops to its thread pool and back for each
/// one; on the screen pop that cost ten times the reads themselves. This uses the very same SQLite
/// library sqlite-nio links (its `VaporCSQLite` module, so one copy of SQLite and its POSIX locks in the
/// process) and runs the statements in the calling task. They are index lookups on a local WAL database,
/// where readers never wait for the writer, so they finish in microseconds when the pages are in memory
/// (a store's database is a few hundred MB; the 1M-customer benchmark's 5 GB fits too); a rare busy
/// moment waits `busyTimeoutMilliseconds` at most. Measured against running them on NIO's thread pool
/// (one hop each way): 0.79 vs 0.59 of /health's throughput, p99 6.6 vs 10.1 ms (bench/lookup.sh). The
/// price is that a read which must go to disk holds its event loop for that long.
///
/// The same connections, writable, carry bulk imports (`write`): a DMS file's rows are thousands of small
/// statements per batch, and through sqlite-nio and SQLKit each one was serialized, prepared, bound from
/// existentials and run on another thread; here each is a cached statement bound from plain values.
final class SQLiteReader: Sendable {
    private let path: String
    private let idle = Mutex<[Connection]>([])
    /// One writable connection: SQLite has one writer at a time anyway, so a second would only wait.
    private let writer = Mutex<Connection?>(nil)

    init(path: String) {
        self.path = path
    }

    deinit { close() }

    func close() {
        let connections = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        for connection in connections { connection.close() }
        writer.withLock { writer in
            writer?.close()
            writer = nil
        }
    }

    /// Runs `body` in one write transaction on the writable connection (others wait their turn), committed
    /// when it returns and rolled back when it throws. `body` blocks: call it off the event loops.
    func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.withLock { writer in
            let connection = try writer ?? Connection(path: path, writable: true)
            writer = connection
            try connection.run("BEGIN IMMEDIATE")
            do {
                let result = try body(connection)
                try connection.run("COMMIT")
                return result
            } catch {
                try? connection.run("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on one connection in one read transaction, so every statement sees the same snapshot;
    /// statements prepared there stay for the next caller. `body` cannot suspend, so there are never more
    /// connections than threads that ran one at once.
    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try borrow()
        defer { giveBack(connection) }
        try connection.rows("BEGIN", []) { _ in }
        do {
            let result = try body(connection)
            try connection.rows("COMMIT", []) { _ in }
            return result
        } catch {
            try? connection.rows("ROLLBACK", []) { _ in }
            throw error
        }
    }

    /// Runs `body` with two connections in read transactions on the same snapshot, for a read split
    /// between two threads. A WAL reader's snapshot is the last commit when it first reads; holding the
    /// write lock while both first read means no commit can fall between them. `body` must not return
    /// while another thread still uses either connection.
    func readTogether<T>(_ body: (Connection, Connection) throws -> T) throws -> T {
        let first = try borrow()
        defer { giveBack(first) }
        let second = try borrow()
        defer { giveBack(second) }
        // Ends both read transactions however far their start got (an error for one never begun is moot).
        defer {
            for reader in [first, second] { try? reader.rows("ROLLBACK", []) { _ in } }
        }
        try writer.withLock { writer in
            let connection = try writer ?? Connection(path: path, writable: true)
            writer = connection
            try connection.run("BEGIN IMMEDIATE")
            defer { try? connection.run("ROLLBACK") }
            for reader in [first, second] {
                try reader.rows("BEGIN", []) { _ in }
                try reader.rows("SELECT 1 FROM sqlite_schema LIMIT 1", []) { _ in }
            }
        }
        return try body(first, second)
    }

    /// An idle read connection, or a new one when all are in use.
    private func borrow() throws -> Connection { try idle.withLock { $0.popLast() } ?? Connection(path: path) }

    private func giveBack(_ connection: Connection) { idle.withLock { $0.append(connection) } }

    /// One connection; used by one caller at a time (the pool guarantees it).
    final class Connection: @unchecked Sendable {
        private var handle: OpaquePointer?
        private var statements: [String: Statement] = [:]
        static let busyTimeoutMilliseconds: Int32 = 2_000

        init(path: String, writable: Bool = false) throws {
            let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
            let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
            guard status == SQLITE_OK else {
                defer { sqlite_nio_sqlite3_close(handle) }
                throw SQLiteReadError(status: status, message: "cannot open \(path)")
            }
            sqlite_nio_sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
            // Without it SQLite prepares a cached statement again whenever a bound key moves between 0/1
            // and other values (it weighs those as flags), which on these paths is nearly every call.
            _ = revisit_sqlite_enable_qpsg(UnsafeMutableRawPointer(handle))
            if writable {
                // As the pool's connections, plus room for a batch's pages: with SQLite's 2 MB default a
                // batch spilled half-written index pages to the WAL and read them back.
                for pragma in [
                    "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -65536",
                    "PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 16384",
                ] {
                    try run(pragma)
                }
                sqlite_nio_sqlite3_busy_timeout(handle, 10_000)
            } else {
                // Nothing through this connection may write, whatever a future caller passes it.
                try run("PRAGMA query_only = 1")
            }
        }

        /// Runs a statement that returns no rows.
        func run(_ sql: String, _ binds: [SQLScalar] = []) throws {
            try rows(sql, binds) { _ in }
        }

        /// The rowid the last INSERT on this connection gave.
        var lastInsertId: Int64 { sqlite_nio_sqlite3_last_insert_rowid(handle) }

        /// Rows the last INSERT, UPDATE or DELETE changed.
        var changes: Int { Int(sqlite_nio_sqlite3_changes(handle)) }

        func close() {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
            statements.removeAll()
            sqlite_nio_sqlite3_close(handle)
            handle = nil
        }

        /// Runs `sql` with `binds` (`?` placeholders) and hands each row to `each`.
        func rows(_ sql: String, _ binds: [SQLScalar], _ each: (ScalarRow) throws -> Void) throws {
            try rows(prepared(sql), binds, each)
        }

        /// The prepared statement for `sql`, for a caller that runs it many times (finding it by its text
        /// costs a hash of the whole text each time).
        func statement(_ sql: String) throws -> Statement { try prepared(sql) }

        func run(_ statement: Statement, _ binds: [SQLScalar]) throws {
            try rows(statement, binds) { _ in }
        }

        /// Steps through `sql`'s rows handing each as a `RawRow` that reads columns in place: for scans of
        /// millions of rows, where making a `ScalarRow` (an array and Strings per row) would cost more
        /// than the scan. The row is valid only inside `each`.
        func scan(_ sql: String, _ binds: [SQLScalar], _ each: (RawRow) throws -> Void) throws {
            let statement = try prepared(sql)
            defer {
                sqlite_nio_sqlite3_reset(statement.handle)
                sqlite_nio_sqlite3_clear_bindings(statement.handle)
            }
            for (index, value) in binds.enumerated() {
                let status: Int32 =
                    switch value {
                    case .int(let number): sqlite_nio_sqlite3_bind_int64(statement.handle, Int32(index + 1), number)
                    case .string(let text): bind(text, at: Int32(index + 1), in: statement.handle)
                    default: sqlite_nio_sqlite3_bind_null(statement.handle, Int32(index + 1))
                    }
                guard status == SQLITE_OK else { throw error(status) }
            }
            while true {
                let status = sqlite_nio_sqlite3_step(statement.handle)
                if status == SQLITE_DONE { return }
                guard status == SQLITE_ROW else { throw error(status) }
                try each(RawRow(handle: statement.handle))
            }
        }

        func rows(_ statement: Statement, _ binds: [SQLScalar], _ each: (ScalarRow) throws -> Void) throws {
            defer {
                sqlite_nio_sqlite3_reset(statement.handle)
                sqlite_nio_sqlite3_clear_bindings(statement.handle)
            }
            for (index, value) in binds.enumerated() {
                let position = Int32(index + 1)
                let status: Int32 =
                    switch value {
                    case .null: sqlite_nio_sqlite3_bind_null(statement.handle, position)
                    case .int(let number): sqlite_nio_sqlite3_bind_int64(statement.handle, position, number)
                    case .bool(let flag): sqlite_nio_sqlite3_bind_int64(statement.handle, position, flag ? 1 : 0)
                    case .double(let number): sqlite_nio_sqlite3_bind_double(statement.handle, position, number)
                    case .string(let text): bind(text, at: position, in: statement.handle)
                    }
                guard status == SQLITE_OK else { throw error(status) }
            }
            while true {
                let status = sqlite_nio_sqlite3_step(statement.handle)
                if status == SQLITE_DONE { return }
                guard status == SQLITE_ROW else { throw error(status) }
                var values: [SQLScalar] = []
                values.reserveCapacity(statement.columns.count)
                for index in 0..<sqlite_nio_sqlite3_column_count(statement.handle) {
                    values.append(column(statement.handle, index))
                }
                try each(ScalarRow(columns: statement.columns, values: values))
            }
        }

        /// How often each cached statement had to be prepared again (SQLite does so when a bound value
        /// could change its plan); a test keeps the hot paths at zero.
        var reprepares: [String: Int32] {
            statements.mapValues { sqlite_nio_sqlite3_stmt_status($0.handle, SQLITE_STMTSTATUS_REPREPARE, 0) }
        }

        /// Binds from the string's own bytes where it has them: passing a String where C wants a pointer
        /// copies it into a new C string first.
        private func bind(_ text: String, at position: Int32, in statement: OpaquePointer) -> Int32 {
            let direct = text.utf8.withContiguousStorageIfAvailable { bytes -> Int32? in
                // No bytes means no pointer, and a NULL pointer would bind NULL instead of ''.
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
                return sqlite_nio_sqlite3_bind_text64(
                    statement, position, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                    UInt64(bytes.count), SQLiteReader.transient, UInt8(SQLITE_UTF8))
            }
            if let status = direct ?? nil { return status }
            return sqlite_nio_sqlite3_bind_text64(
                statement, position, text, UInt64(text.utf8.count), SQLiteReader.transient, UInt8(SQLITE_UTF8))
        }

        private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLScalar {
            switch sqlite_nio_sqlite3_column_type(statement, index) {
            case SQLITE_INTEGER: return .int(sqlite_nio_sqlite3_column_int64(statement, index))
            case SQLITE_FLOAT: return .double(sqlite_nio_sqlite3_column_double(statement, index))
            case SQLITE_NULL: return .null
            default:
                guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .null }
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
                return .string(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
            }
        }

        private func prepared(_ sql: String) throws -> Statement {
            if let statement = statements[sql] { return statement }
            var handle: OpaquePointer?
            let status = sqlite_nio_sqlite3_prepare_v3(
                self.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
            guard status == SQLITE_OK, let handle else { throw error(status) }
            var columns: [String: Int] = [:]
            for index in 0..<sqlite_nio_sqlite3_column_count(handle) {
                // The first of two same-named columns wins, as in SQLKit's rows.
                let name = String(cString: sqlite_nio_sqlite3_column_name(handle, index))
                if columns[name] == nil { columns[name] = Int(index) }
            }
            let statement = Statement(handle: handle, columns: columns)
            statements[sql] = statement
            return statement
        }

        private func error(_ status: Int32) -> SQLiteReadError {
            SQLiteReadError(
                status: status, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "")
        }
    }

    struct Statement {
        let handle: OpaquePointer
        let columns: [String: Int]
    }

    fileprivate static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

struct SQLiteReadError: Error, CustomStringConvertible {
    let status: Int32
    let message: String
    var description: String { "SQLite error \(status): \(message)" }
}

/// The current row of a statement being stepped, read column by column without copying.
struct RawRow {
    let handle: OpaquePointer

    func isNull(_ index: Int32) -> Bool { sqlite_nio_sqlite3_column_type(handle, index) == SQLITE_NULL }

    func int64(_ index: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(handle, index) }

    /// A text column's UTF-8 bytes, in place (empty when NULL).
    func utf8<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let text = sqlite_nio_sqlite3_column_text(handle, index)
        return body(
            UnsafeBufferPointer(
                start: text, count: text == nil ? 0 : Int(sqlite_nio_sqlite3_column_bytes(handle, index))))
    }

    /// A text column as the case of `E` whose raw value it spells, compared in place (no String per row);
    /// nil when NULL or none matches.
    func oneOf<E: CaseIterable & RawRepresentable>(_ index: Int32, _: E.Type) -> E? where E.RawValue == String {
        guard let text = sqlite_nio_sqlite3_column_text(handle, index) else { return nil }
        let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite_nio_sqlite3_column_bytes(handle, index)))
        return E.allCases.first { $0.rawValue.utf8.elementsEqual(bytes) }
    }

    /// A 'YYYY-MM-DD' column as the number YYYYMMDD (which orders as the days do); 0 when NULL or
    /// shorter than a day.
    func day(_ index: Int32) -> Int32 {
        guard let text = sqlite_nio_sqlite3_column_text(handle, index),
            sqlite_nio_sqlite3_column_bytes(handle, index) >= 10
        else { return 0 }
        func digits(_ from: Int, _ count: Int) -> Int32 {
            var value: Int32 = 0
            for offset in from..<(from + count) { value = value * 10 + Int32(text[offset]) - 48 }
            return value
        }
        return digits(0, 4) * 10_000 + digits(5, 2) * 100 + digits(8, 2)
    }
}
