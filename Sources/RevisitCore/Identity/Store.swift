import Foundation

/// One dealership or workshop: the tenant boundary.
public struct Store: Sendable, Equatable, Codable {
    public var id: Int64
    public var code: String
    public var name: String
    public var groupId: Int64?
    public var timeZone: String
    public var phone: String
    public var active: Bool

    public init(
        id: Int64, code: String, name: String, groupId: Int64?, timeZone: String, phone: String, active: Bool
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.groupId = groupId
        self.timeZone = timeZone
        self.phone = phone
        self.active = active
    }

    /// The store's time zone; a name the system does not know falls back to the default.
    public var zone: TimeZone {
        TimeZone(identifier: timeZone) ?? TimeZone(identifier: Store.defaultTimeZone)!
    }

    /// The store-local day at an instant: what "today" means for its runs and lists.
    public func day(at instant: Date) -> LocalDate { LocalDate(instant, timeZone: zone) }

    /// The store a validated draft describes, once the database has given it an id.
    public init(id: Int64, draft: StoreDraft) {
        self.init(
            id: id, code: draft.code, name: draft.name, groupId: draft.groupId, timeZone: draft.timeZone,
            phone: draft.phone, active: draft.active)
    }

    public static let defaultTimeZone = "Asia/Shanghai"
}

/// The fields a person types to create or edit a store, validated before anything is written.
public struct StoreDraft: Sendable, Equatable {
    public var code: String
    public var name: String
    public var groupId: Int64?
    public var timeZone: String
    public var phone: String
    public var active: Bool

    public init(
        code: String, name: String, groupId: Int64? = nil, timeZone: String = Store.defaultTimeZone,
        phone: String = "", active: Bool = true
    ) {
        self.code = code
        self.name = name
        self.groupId = groupId
        self.timeZone = timeZone
        self.phone = phone
        self.active = active
    }

    /// Trims and checks every field; the first problem found is thrown with its field name.
    public func validated() throws(RevisitError) -> StoreDraft {
        var draft = self
        draft.code = try FieldRules.code(code, field: "code")
        draft.name = try FieldRules.text(name, field: "name", max: 100)
        draft.phone = try FieldRules.text(phone, field: "phone", max: 40, required: false)
        draft.timeZone = timeZone.trimmingCharacters(in: .whitespaces)
        if draft.timeZone.isEmpty { draft.timeZone = Store.defaultTimeZone }
        guard TimeZone(identifier: draft.timeZone) != nil else {
            throw RevisitError(.validation, code: .unknownTimeZone, field: "timeZone", args: ["value": draft.timeZone])
        }
        return draft
    }
}
