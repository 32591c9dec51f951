import Foundation

/// A team of a store's service advisors (the seeds' 接车小组): it can own customers as one, its leader
/// answers for its churn, and its reminders are every member's tasks (DOMAIN §4).
public struct AdvisorTeam: Sendable, Equatable, Codable {
    public struct Member: Sendable, Equatable, Codable {
        public var id: Int64
        public var name: String

        public init(id: Int64, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var id: Int64
    public var storeId: Int64
    public var name: String
    public var leaderId: Int64?
    public var members: [Member]
    /// Customers the team owns as a team (not its members' own).
    public var customers: Int

    public init(id: Int64, storeId: Int64, name: String, leaderId: Int64?, members: [Member], customers: Int = 0) {
        self.id = id
        self.storeId = storeId
        self.name = name
        self.leaderId = leaderId
        self.members = members
        self.customers = customers
    }

    public var memberIds: [Int64] { members.map(\.id) }
}

/// A team as a manager writes it.
public struct TeamDraft: Sendable, Equatable, Codable {
    public var name: String
    public var leaderId: Int64?
    public var memberIds: [Int64]

    public init(name: String, leaderId: Int64? = nil, memberIds: [Int64]) {
        self.name = name
        self.leaderId = leaderId
        self.memberIds = memberIds
    }

    /// A name of up to 40 characters, at least one member, the leader one of them; the members must be
    /// active advisors of the store (`advisors`).
    public func validated(advisors: Set<Int64>) throws(RevisitError) -> TeamDraft {
        var draft = self
        draft.name = try FieldRules.text(name, field: "name", max: 40)
        var seen = Set<Int64>()
        draft.memberIds = memberIds.filter { seen.insert($0).inserted }
        guard !draft.memberIds.isEmpty else { throw RevisitError(.validation, code: .required, field: "memberIds") }
        if let wrong = draft.memberIds.first(where: { !advisors.contains($0) }) {
            throw RevisitError(
                .validation, code: .invalidValue, field: "memberIds",
                args: ["field": "memberIds", "value": String(wrong)])
        }
        if let leader = leaderId, !seen.contains(leader) {
            throw RevisitError(
                .validation, code: .invalidValue, field: "leaderId",
                args: ["field": "leaderId", "value": String(leader)])
        }
        return draft
    }
}
