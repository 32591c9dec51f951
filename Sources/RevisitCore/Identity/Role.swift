import Foundation

/// What a user may do. The raw value is the code used on the CLI, in the API and in the database.
public enum Role: String, CaseIterable, Sendable, Codable {
    case admin = "admin"
    case groupAnalyst = "group-analyst"
    case storeManager = "store-manager"
    case serviceAdvisor = "service-advisor"
    case csr = "csr"
    case marketing = "marketing"

    /// Group-level roles see every store of their group instead of an explicit store list.
    public var isGroupLevel: Bool { self == .groupAnalyst }

    /// Store-level roles must be assigned at least one store to be useful.
    public var isStoreLevel: Bool { self != .admin && self != .groupAnalyst }

    /// How a role sees customers' phone numbers (DOMAIN §16, PIPL). Managers see them; advisors and
    /// CSRs, who call customers, see them masked until they reveal them on a customer's page (an audited
    /// act); analysts and marketing see them masked only.
    public enum PhoneAccess: Sendable { case full, onReveal, masked }

    public var phoneAccess: PhoneAccess {
        switch self {
        case .admin, .storeManager: .full
        case .serviceAdvisor, .csr: .onReveal
        case .groupAnalyst, .marketing: .masked
        }
    }

    /// Loading DMS files changes a store's records wholesale: managers and administrators.
    public var canImport: Bool { self == .admin || self == .storeManager }

    /// Runs segmentation on demand (the nightly run needs nobody); everyone who reads customers sees classes.
    public var canRunSegments: Bool { self == .admin || self == .storeManager }

    /// Runs the reminder rules on demand and changes them (the daily run needs nobody).
    public var canRunReminders: Bool { self == .admin || self == .storeManager }

    /// Works reminder tasks: records what came of a call.
    public var canWorkReminders: Bool {
        self == .admin || self == .storeManager || self == .serviceAdvisor || self == .csr
    }

    /// Lists and reports leave the system as files: a right of its own (DOMAIN §16), audited per export.
    /// Advisors and CSRs work record by record and do not take customer lists away.
    public var canExport: Bool {
        self == .admin || self == .storeManager || self == .groupAnalyst || self == .marketing
    }

    /// Writes message templates, prepares bulk sends and looks after the outbox and the opt-out list.
    public var canManageMessaging: Bool { self == .admin || self == .storeManager || self == .marketing }

    /// Lets a bulk send above the store's approval size go out.
    public var canApproveBulkSends: Bool { self == .admin || self == .storeManager }

    /// The i18n key of the role's display name.
    public var labelKey: String { "role.\(rawValue)" }

    public init(code: String) throws(RevisitError) {
        guard let role = Role(rawValue: code.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw RevisitError(
                .validation, code: .unknownRole, field: "role",
                args: ["value": code, "allowed": Role.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        self = role
    }
}
