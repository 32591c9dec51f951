import Foundation

public enum CustomerType: String, Sendable, Codable, CaseIterable {
    case individual, company, government
}

public enum Gender: String, Sendable, Codable, CaseIterable {
    case male, female, unknown
}

/// What a phone is for, as the customer gave it; its format (mobile/landline) is worked out separately.
public enum PhoneKind: String, Sendable, Codable, CaseIterable {
    case mobile, home, office, other
}

public struct CustomerPhone: Sendable, Equatable, Codable {
    public var number: PhoneNumber
    public var kind: PhoneKind
    public var primary: Bool

    public init(number: PhoneNumber, kind: PhoneKind, primary: Bool) {
        self.number = number
        self.kind = kind
        self.primary = primary
    }
}

/// A contact person at a company or government customer.
public struct CustomerContact: Sendable, Equatable, Codable {
    public var name: String
    public var title: String
    public var phone: PhoneNumber?

    public init(name: String, title: String, phone: PhoneNumber?) {
        self.name = name
        self.title = title
        self.phone = phone
    }
}

/// "Handle with care": set with a reason, shown wherever the customer appears until cleared.
public struct CustomerAlert: Sendable, Equatable, Codable {
    public var reason: String
    public var setAt: Date
    public var setBy: String

    public init(reason: String, setAt: Date, setBy: String) {
        self.reason = reason
        self.setAt = setAt
        self.setBy = setBy
    }
}

/// A customer of one store: a person, company or government unit that owns or uses vehicles.
public struct Customer: Sendable, Equatable {
    public var id: Int64
    public var storeId: Int64
    /// The DMS's own customer number, when the record came from (or was matched to) the DMS.
    public var customerNo: String?
    public var type: CustomerType
    public var name: String
    public var gender: Gender
    public var birthday: LocalDate?
    public var phones: [CustomerPhone]
    public var address: String
    public var region: String
    public var sourceChannel: String
    public var consentMarketingSMS: Bool
    public var consentCallback: Bool
    /// Service messages (reminders, confirmations) follow this, not the marketing consent (DOMAIN §6).
    public var consentServiceSMS: Bool = true
    public var tags: [String]
    public var notes: String
    public var licenceReviewDate: LocalDate?
    public var ownerId: Int64?
    /// An advisor team that owns the customer instead of one advisor (DOMAIN §4); never both.
    public var ownerTeamId: Int64? = nil
    public var contacts: [CustomerContact]
    public var alert: CustomerAlert?
    /// Set on a record merged into another; such records stay searchable by their identifiers.
    public var mergedIntoId: Int64?
    /// Incremented on every change; an edit based on an older version is refused (409).
    public var version: Int64
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, storeId: Int64, customerNo: String?, type: CustomerType, name: String, gender: Gender,
        birthday: LocalDate?, phones: [CustomerPhone], address: String, region: String, sourceChannel: String,
        consentMarketingSMS: Bool, consentCallback: Bool, tags: [String], notes: String,
        licenceReviewDate: LocalDate?, ownerId: Int64?, contacts: [CustomerContact], alert: CustomerAlert?,
        mergedIntoId: Int64?, version: Int64, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.storeId = storeId
        self.customerNo = customerNo
        self.type = type
        self.name = name
        self.gender = gender
        self.birthday = birthday
        self.phones = phones
        self.address = address
        self.region = region
        self.sourceChannel = sourceChannel
        self.consentMarketingSMS = consentMarketingSMS
        self.consentCallback = consentCallback
        self.tags = tags
        self.notes = notes
        self.licenceReviewDate = licenceReviewDate
        self.ownerId = ownerId
        self.contacts = contacts
        self.alert = alert
        self.mergedIntoId = mergedIntoId
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var primaryPhone: CustomerPhone? { phones.first { $0.primary } ?? phones.first }
}
