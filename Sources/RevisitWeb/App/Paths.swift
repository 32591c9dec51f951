/// Every URL that templates and redirects use, built in one place.
public enum Paths {
    public static let root = "/"
    public static let login = "/login"
    public static let logout = "/logout"
    public static let home = "/home"
    public static let account = "/account"
    public static let accountLanguage = "/account/language"
    public static let accountPassword = "/account/password"
    public static let accountTokens = "/account/tokens"
    public static func accountTokenRevoke(_ id: Int64) -> String { "/account/tokens/\(id)/revoke" }
    public static let switchStore = "/session/store"
    public static let language = "/language"

    public static func store(_ id: Int64) -> String { "/stores/\(id)" }
    public static func storeDashboard(_ id: Int64) -> String { "/stores/\(id)/dashboard" }
    public static func storeDashboardExport(_ id: Int64) -> String { "/stores/\(id)/dashboard/export" }
    public static func storeSegmentRun(_ id: Int64) -> String { "/stores/\(id)/segments/run" }
    public static func storeSegments(_ id: Int64) -> String { "/stores/\(id)/segments" }
    public static func storeLifetimeValue(_ id: Int64) -> String { "/stores/\(id)/lifetime-value" }
    public static func groupDashboard(_ id: Int64) -> String { "/groups/\(id)/dashboard" }
    public static func groupDashboardExport(_ id: Int64) -> String { "/groups/\(id)/dashboard/export" }

    public static let adminStores = "/admin/stores"
    public static let adminStoreNew = "/admin/stores/new"
    public static func adminStoreEdit(_ id: Int64) -> String { "/admin/stores/\(id)/edit" }
    public static func adminStore(_ id: Int64) -> String { "/admin/stores/\(id)" }

    public static let adminGroups = "/admin/groups"
    public static let adminGroupNew = "/admin/groups/new"
    public static func adminGroupEdit(_ id: Int64) -> String { "/admin/groups/\(id)/edit" }
    public static func adminGroup(_ id: Int64) -> String { "/admin/groups/\(id)" }

    public static let adminUsers = "/admin/users"
    public static let adminUserNew = "/admin/users/new"
    public static func adminUserEdit(_ id: Int64) -> String { "/admin/users/\(id)/edit" }
    public static func adminUser(_ id: Int64) -> String { "/admin/users/\(id)" }
    public static func adminUserPassword(_ id: Int64) -> String { "/admin/users/\(id)/password" }
    public static func adminUserDeactivate(_ id: Int64) -> String { "/admin/users/\(id)/deactivate" }
    public static func adminUserActivate(_ id: Int64) -> String { "/admin/users/\(id)/activate" }

    public static let adminAudit = "/admin/audit"

    public static func staticFile(_ name: String) -> String { "/static/\(name)" }
}
