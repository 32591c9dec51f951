import Foundation
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@Suite struct IdentityStoreTests {
    static let hasher = PasswordHasher(cost: 4)

    func withFixture(
        _ engine: DatabaseEngine, _ body: @Sendable (SQLIdentityStore, Fixture, Database) async throws -> Void
    ) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: Self.hasher)
            try await body(identity, fixture, database)
        }
    }

    func scope(_ identity: SQLIdentityStore, _ user: User) async throws -> Scope {
        try await identity.scope(for: user, clientAddress: "test")
    }

    @Test(arguments: TestDatabase.engines)
    func aStoreUserSeesOnlyTheirStore(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, f, _ in
            let scope = try await scope(identity, f.advisorA)
            #expect(try await identity.stores(scope: scope).map(\.code) == ["A01"])
            await #expect(throws: RevisitError.notFound()) { try await identity.store(id: f.storeB.id, scope: scope) }
            await #expect(throws: RevisitError.self) { try await identity.users(inStore: f.storeB.id, scope: scope) }
            await #expect(throws: RevisitError.notFound()) { try await identity.user(id: f.advisorB.id, scope: scope) }
            let colleagues = try await identity.users(scope: scope).map(\.login)
            #expect(colleagues == ["advisor-a", "csr-a", "manager-a"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aGroupAnalystReadsEveryStoreOfTheGroupAndNoOther(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, f, _ in
            let scope = try await scope(identity, f.analyst)
            #expect(try await identity.stores(scope: scope).map(\.code) == ["A01", "B01"])
            await #expect(throws: RevisitError.notFound()) { try await identity.store(id: f.storeC.id, scope: scope) }
            #expect(try await identity.groups(scope: scope).map(\.code) == ["G1"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func onlyAdministratorsChangeStoresAndUsers(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, f, _ in
            let manager = try await scope(identity, f.managerA)
            await #expect(throws: RevisitError(.forbidden, code: .forbidden)) {
                try await identity.createStore(StoreDraft(code: "X", name: "x"), scope: manager)
            }
            await #expect(throws: RevisitError(.forbidden, code: .forbidden)) {
                try await identity.setActive(userId: f.advisorA.id, active: false, scope: manager)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func duplicateCodesAndLoginsAreConflicts(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, f, _ in
            await #expect(throws: RevisitError(.conflict, code: .duplicateCode, field: "code", args: ["value": "A01"]))
            {
                try await identity.createStore(StoreDraft(code: "a01", name: "again"), scope: .system)
            }
            await #expect(
                throws: RevisitError(.conflict, code: .duplicateLogin, field: "login", args: ["value": "root"])
            ) {
                try await identity.createUser(
                    UserDraft(login: "ROOT", name: "again", role: .admin), passwordHash: "x", scope: .system)
            }
            await #expect(throws: RevisitError(.conflict, code: .duplicateCode, field: "code", args: ["value": "B01"]))
            {
                try await identity.updateStore(id: f.storeA.id, StoreDraft(code: "B01", name: "x"), scope: .system)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aRefusedUserLeavesNoRowAndNoAuditLine(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, _, database in
            let before = try await database.all("SELECT COUNT(*) AS n FROM audit_log")[0].decode(
                column: "n", as: Int64.self)
            await #expect(throws: RevisitError.self) {
                try await identity.createUser(
                    UserDraft(login: "ghost", name: "Ghost", role: .csr, storeIds: [424_242]), passwordHash: "x",
                    scope: .system)
            }
            #expect(try await identity.credentials(login: "ghost") == nil)
            let after = try await database.all("SELECT COUNT(*) AS n FROM audit_log")[0].decode(
                column: "n", as: Int64.self)
            #expect(before == after)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func updatingAUserReplacesTheirStoresAndIsAudited(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, f, database in
            let admin = try await scope(identity, f.admin)
            let updated = try await identity.updateUser(
                id: f.advisorA.id,
                UserDraft(login: "advisor-a", name: "新名字", role: .storeManager, storeIds: [f.storeB.id, f.storeC.id]),
                scope: admin)
            #expect(updated.storeIds == [f.storeB.id, f.storeC.id])
            let reread = try await identity.user(id: f.advisorA.id, scope: admin)
            #expect(reread.name == "新名字" && reread.role == .storeManager && reread.storeIds == updated.storeIds)
            let audit = try await SQLAuditStore(database: database, now: { Date() })
                .entries(AuditFilter(action: "user.updated"), scope: admin)
            #expect(audit.first?.entityId == String(f.advisorA.id) && audit.first?.login == "root")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func deactivatingEndsSessionsAndAdminsCannotDeactivateThemselves(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, f, database in
            let auth = SQLAuthStore(database: database)
            _ = try await auth.createSession(
                userId: f.csrA.id, tokenHash: "h1", csrfToken: "c", currentStoreId: nil, now: Date(), clientAddress: "x"
            )
            let admin = try await scope(identity, f.admin)
            let user = try await identity.setActive(userId: f.csrA.id, active: false, scope: admin)
            #expect(!user.active)
            #expect(try await auth.session(tokenHash: "h1") == nil)
            await #expect(throws: RevisitError(.conflict, code: .cannotDeactivateSelf)) {
                try await identity.setActive(userId: f.admin.id, active: false, scope: admin)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func credentialsAreFoundWhateverTheCase(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { identity, f, _ in
            let found = try #require(try await identity.credentials(login: " Manager-A "))
            #expect(found.user.id == f.managerA.id)
            #expect(try await Self.hasher.verify(Fixture.password, hash: found.passwordHash))
        }
    }
}
