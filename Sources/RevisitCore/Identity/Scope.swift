import Foundation

/// Who is asking and which stores they may see. Every store method takes one and filters by it,
/// so a route cannot forget tenancy: it never builds a query itself.
public struct Scope: Sendable, Equatable {
    public let userId: Int64?
    public let login: String
    public let role: Role
    /// Stores whose records this scope may read. For administrators this is every store.
    public let storeIds: Set<Int64>
    /// Where the request came from, for the audit log ("cli" at the command line).
    public let clientAddress: String

    public init(userId: Int64?, login: String, role: Role, storeIds: Set<Int64>, clientAddress: String) {
        self.userId = userId
        self.login = login
        self.role = role
        self.storeIds = storeIds
        self.clientAddress = clientAddress
    }

    /// The operator at the command line: an administrator without a user row. Store ids do not
    /// matter for administrators, who see every store.
    public static let system = Scope(userId: nil, login: "system", role: .admin, storeIds: [], clientAddress: "cli")

    public var isAdmin: Bool { role == .admin }

    public func canSee(store id: Int64) -> Bool { isAdmin || storeIds.contains(id) }

    /// Sorted for stable SQL and stable output.
    public var sortedStoreIds: [Int64] { storeIds.sorted() }

    /// Throws `.forbidden` unless this scope is an administrator.
    public func requireAdmin() throws(RevisitError) {
        guard isAdmin else { throw RevisitError(.forbidden, code: .forbidden) }
    }
}
