import Foundation

/// One line of the append-only audit log: who did what to which record, when, from where.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var at: Date
    public var userId: Int64?
    public var login: String
    public var storeId: Int64?
    public var action: String
    public var entityType: String
    public var entityId: String
    public var detail: String
    public var clientAddress: String

    public init(
        id: Int64, at: Date, userId: Int64?, login: String, storeId: Int64?, action: String, entityType: String,
        entityId: String, detail: String, clientAddress: String
    ) {
        self.id = id
        self.at = at
        self.userId = userId
        self.login = login
        self.storeId = storeId
        self.action = action
        self.entityType = entityType
        self.entityId = entityId
        self.detail = detail
        self.clientAddress = clientAddress
    }
}

/// Actions written by the foundation. Later features add their own strings; these are the known ones
/// the audit page offers as filters.
public enum AuditAction: String, CaseIterable, Sendable {
    case loginSucceeded = "login.succeeded"
    case loginFailed = "login.failed"
    case loginLocked = "login.locked"
    case logout = "logout"
    case groupCreated = "group.created"
    case groupUpdated = "group.updated"
    case storeCreated = "store.created"
    case storeUpdated = "store.updated"
    case userCreated = "user.created"
    case userUpdated = "user.updated"
    case userPasswordReset = "user.password_reset"
    case userPasswordChanged = "user.password_changed"
    case userDeactivated = "user.deactivated"
    case userActivated = "user.activated"
    case tokenCreated = "token.created"
    case tokenRevoked = "token.revoked"
    case customerCreated = "customer.created"
    case customerUpdated = "customer.updated"
    case customerAlertSet = "customer.alert_set"
    case customerAlertCleared = "customer.alert_cleared"
    case customerPhoneRevealed = "customer.phone_revealed"
    case customerMerged = "customer.merged"
    case vehicleCreated = "vehicle.created"
    case vehicleUpdated = "vehicle.updated"
    case repairOrderCreated = "repair_order.created"
    case importStarted = "import.started"
    case importFinished = "import.finished"
    case segmentRun = "segment.run"
    case reminderRun = "reminder.run"
    case reminderOutcome = "reminder.outcome"
    case ownersAssigned = "customer.owners_assigned"
    case ownersReassigned = "customer.owners_reassigned"
    case teamSaved = "team.saved"
    case teamDeleted = "team.deleted"
    case importMappingSaved = "import.mapping_saved"
    case advisorLinked = "import.advisor_linked"
    case exported = "export.created"
    case templateSaved = "message.template_saved"
    case templateDeleted = "message.template_deleted"
    case bulkSendCreated = "message.bulk_send_created"
    case bulkSendDecided = "message.bulk_send_decided"
    case messageRetried = "message.retried"
    case optOutChanged = "message.opt_out_changed"
    case messagingSettingsSaved = "message.settings_saved"
}

/// What the audit page filters by. Empty fields do not filter.
public struct AuditFilter: Sendable, Equatable {
    public var action: String?
    public var login: String?
    public var storeId: Int64?
    public var from: Date?
    public var until: Date?
    public var limit: Int

    public init(
        action: String? = nil, login: String? = nil, storeId: Int64? = nil, from: Date? = nil, until: Date? = nil,
        limit: Int = 200
    ) {
        self.action = action
        self.login = login
        self.storeId = storeId
        self.from = from
        self.until = until
        self.limit = limit
    }
}

/// A new audit line, before the database gives it an id.
public struct AuditRecord: Sendable, Equatable {
    public var action: AuditAction
    public var entityType: String
    public var entityId: String
    public var storeId: Int64?
    public var detail: String

    public init(action: AuditAction, entityType: String, entityId: String, storeId: Int64? = nil, detail: String = "") {
        self.action = action
        self.entityType = entityType
        self.entityId = entityId
        self.storeId = storeId
        self.detail = detail
    }
}

/// Who an audit line is written for: a user, or only the login someone typed.
public struct AuditActor: Sendable, Equatable {
    public var userId: Int64?
    public var login: String
    public var clientAddress: String

    public init(userId: Int64?, login: String, clientAddress: String) {
        self.userId = userId
        self.login = login
        self.clientAddress = clientAddress
    }
}

extension Scope {
    public var actor: AuditActor { AuditActor(userId: userId, login: login, clientAddress: clientAddress) }
}

public protocol AuditStore: Sendable {
    func append(_ record: AuditRecord, actor: AuditActor) async throws
    /// Administrators only; newest first.
    func entries(_ filter: AuditFilter, scope: Scope) async throws -> [AuditEntry]
}
