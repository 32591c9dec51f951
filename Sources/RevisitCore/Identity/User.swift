import Foundation

public enum Language: String, CaseIterable, Sendable, Codable {
    case zhCN = "zh-CN"
    case en = "en"

    public static let `default` = Language.zhCN

    /// Accepts the codes people and browsers send ("zh", "zh-cn", "en-US").
    public init?(loose code: String) {
        let lower = code.trimmingCharacters(in: .whitespaces).lowercased()
        if lower.hasPrefix("zh") {
            self = .zhCN
        } else if lower.hasPrefix("en") {
            self = .en
        } else {
            return nil
        }
    }
}

/// A person who logs in.
public struct User: Sendable, Equatable, Codable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: Role
    /// The group a group analyst reads; nil for other roles.
    public var groupId: Int64?
    /// Stores assigned explicitly (store-level roles).
    public var storeIds: [Int64]
    public var language: Language
    public var active: Bool

    public init(
        id: Int64, login: String, name: String, role: Role, groupId: Int64?, storeIds: [Int64], language: Language,
        active: Bool
    ) {
        self.id = id
        self.login = login
        self.name = name
        self.role = role
        self.groupId = groupId
        self.storeIds = storeIds
        self.language = language
        self.active = active
    }
}

/// The fields an administrator sets on a user. The password is handled separately.
public struct UserDraft: Sendable, Equatable {
    public var login: String
    public var name: String
    public var role: Role
    public var groupId: Int64?
    public var storeIds: [Int64]
    public var language: Language

    public init(
        login: String, name: String, role: Role, groupId: Int64? = nil, storeIds: [Int64] = [],
        language: Language = .default
    ) {
        self.login = login
        self.name = name
        self.role = role
        self.groupId = groupId
        self.storeIds = storeIds
        self.language = language
    }

    public func validated() throws(RevisitError) -> UserDraft {
        var draft = self
        draft.login = try FieldRules.login(login)
        draft.name = try FieldRules.text(name, field: "name", max: 100)
        draft.storeIds = Array(Set(storeIds)).sorted()
        switch role {
        case .admin:
            draft.groupId = nil
            draft.storeIds = []
        case .groupAnalyst:
            guard groupId != nil else {
                throw RevisitError(.validation, code: .groupRequired, field: "group")
            }
            draft.storeIds = []
        default:
            draft.groupId = nil
            guard !draft.storeIds.isEmpty else {
                throw RevisitError(.validation, code: .storeRequired, field: "stores")
            }
        }
        return draft
    }
}
