import Foundation
import RevisitCore

/// What `serve` does to an empty database: an administrator to sign in with, and on request a small
/// demo organisation so a newcomer has something to click through.
public enum Bootstrap {
    /// Creates `admin` when no active administrator exists (a new database, or one where the CLI added only
    /// store staff), so someone can always sign in. Returns the password when one was generated. An
    /// existing but deactivated `admin` login is not revived: start-up then stops with "login taken".
    public static func ensureAdministrator(
        identity: any IdentityStore, hasher: PasswordHasher, password: String?
    ) async throws -> (created: Bool, generatedPassword: String?) {
        guard try await identity.activeAdministratorCount() == 0 else { return (false, nil) }
        let chosen = password ?? Secrets.randomToken(bytes: 12)
        try PasswordPolicy.check(chosen)
        _ = try await identity.createUser(
            UserDraft(login: "admin", name: "Administrator", role: .admin),
            passwordHash: try await hasher.hash(chosen), scope: .system)
        return (true, password == nil ? chosen : nil)
    }

    public static let demoPassword = "revisit-demo"

    /// A group with two stores and one user per role, all with the password `revisit-demo`.
    /// Does nothing when the demo group already exists.
    public static func seedDemo(identity: any IdentityStore, hasher: PasswordHasher) async throws -> Bool {
        if try await identity.groups(scope: .system).contains(where: { $0.code == "DEMO" }) { return false }
        let group = try await identity.createGroup(GroupDraft(code: "DEMO", name: "示范汽车集团"), scope: .system)
        let beijing = try await identity.createStore(
            StoreDraft(code: "BJ01", name: "北京朝阳4S店", groupId: group.id, phone: "010-85550101"), scope: .system)
        let shanghai = try await identity.createStore(
            StoreDraft(code: "SH01", name: "上海浦东4S店", groupId: group.id, phone: "021-58880202"), scope: .system)
        let hash = try await hasher.hash(demoPassword)
        let people: [UserDraft] = [
            UserDraft(login: "analyst", name: "周分析", role: .groupAnalyst, groupId: group.id),
            UserDraft(login: "manager", name: "王店长", role: .storeManager, storeIds: [beijing.id, shanghai.id]),
            UserDraft(login: "advisor", name: "李顾问", role: .serviceAdvisor, storeIds: [beijing.id]),
            UserDraft(login: "csr", name: "张客服", role: .csr, storeIds: [beijing.id]),
            UserDraft(login: "marketing", name: "陈市场", role: .marketing, storeIds: [shanghai.id]),
            UserDraft(login: "advisor2", name: "刘顾问", role: .serviceAdvisor, storeIds: [shanghai.id], language: .en),
        ]
        for person in people { _ = try await identity.createUser(person, passwordHash: hash, scope: .system) }
        return true
    }
}
