import Foundation
import SQLKit

/// Multi-row INSERTs, split so no statement binds more parameters than either engine allows.
enum BulkInsert {
    typealias Value = any Encodable & Sendable

    static func rows(_ table: String, columns: [String], _ rows: [[Value]], on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let slice = rows[start..<min(start + perStatement, rows.count)]
            var sql: SQLQueryString =
                "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns.joined(separator: ", "))) VALUES "
            for (index, row) in slice.enumerated() {
                sql += index == 0 ? "(\(binds: row))" : ", (\(binds: row))"
            }
            try await db.raw(sql).run()
            start += perStatement
        }
    }
}
