import Foundation
import RevisitCore
import RevisitStorage
import RevisitWeb

/// A small organisation every web and storage test can lean on: group G with stores A and B, a store C
/// outside the group, an administrator and one user per role. Every password is `Fixture.password`.
public struct Fixture: Sendable {
    public static let password = "correct-horse-1"

    public let group: Group
    public let storeA: Store
    public let storeB: Store
    public let storeC: Store
    public let admin: User
    public let analyst: User
    public let managerA: User
    public let advisorA: User
    public let advisorB: User
    public let csrA: User
    public let marketingB: User

    public static func make(identity: any IdentityStore, hasher: PasswordHasher) async throws -> Fixture {
        let scope = Scope.system
        let group = try await identity.createGroup(GroupDraft(code: "G1", name: "华北集团"), scope: scope)
        let storeA = try await identity.createStore(
            StoreDraft(code: "A01", name: "甲店 Alpha", groupId: group.id, phone: "010-1111"), scope: scope)
        let storeB = try await identity.createStore(
            StoreDraft(code: "B01", name: "乙店 Bravo", groupId: group.id, phone: "010-2222"), scope: scope)
        let storeC = try await identity.createStore(StoreDraft(code: "C01", name: "丙店 Charlie"), scope: scope)
        let hash = try await hasher.hash(password)
        func user(_ login: String, _ role: Role, stores: [Int64] = [], group: Int64? = nil) async throws -> User {
            try await identity.createUser(
                UserDraft(login: login, name: "\(login) 名", role: role, groupId: group, storeIds: stores),
                passwordHash: hash, scope: scope)
        }
        return Fixture(
            group: group, storeA: storeA, storeB: storeB, storeC: storeC,
            admin: try await user("root", .admin),
            analyst: try await user("analyst", .groupAnalyst, group: group.id),
            managerA: try await user("manager-a", .storeManager, stores: [storeA.id]),
            advisorA: try await user("advisor-a", .serviceAdvisor, stores: [storeA.id]),
            advisorB: try await user("advisor-b", .serviceAdvisor, stores: [storeB.id]),
            csrA: try await user("csr-a", .csr, stores: [storeA.id]),
            marketingB: try await user("marketing-b", .marketing, stores: [storeB.id]))
    }
}
