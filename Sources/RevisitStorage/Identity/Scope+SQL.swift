import RevisitCore
import SQLKit

/// The one place a scope becomes SQL: every store-owned query filters its store column through this.
extension Scope {
    func storeFilter(_ column: String) -> SQLQueryString {
        let (sql, ids) = storeFilterClause(column)
        return ids.isEmpty ? "\(unsafeRaw: sql)" : "\(unsafeRaw: column) IN (\(binds: ids))"
    }

    /// The same filter as plain SQL with `?` placeholders and their values, for `SQLiteReader`.
    func storeFilterClause(_ column: String) -> (sql: String, binds: [Int64]) {
        if isAdmin { return ("1 = 1", []) }
        let ids = sortedStoreIds
        if ids.isEmpty { return ("1 = 0", []) }
        return ("\(column) IN (" + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")", ids)
    }
}
