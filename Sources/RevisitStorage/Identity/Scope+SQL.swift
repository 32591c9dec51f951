import RevisitCore
import SQLKit

/// The one place a scope becomes SQL: every store-owned query filters its store column through this.
extension Scope {
    func storeFilter(_ column: String) -> SQLQueryString {
        if isAdmin { return "1 = 1" }
        let ids = sortedStoreIds
        if ids.isEmpty { return "1 = 0" }
        return "\(unsafeRaw: column) IN (\(binds: ids))"
    }
}
