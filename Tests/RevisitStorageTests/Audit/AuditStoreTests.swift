import Foundation
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import SQLKit
import Testing

@Suite struct AuditStoreTests {
    @Test(arguments: TestDatabase.engines)
    func entriesAreFilteredAndNewestFirst(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            let clock = TestClock(base)
            let audit = SQLAuditStore(database: database, now: clock.function)
            let actor = AuditActor(userId: nil, login: "someone", clientAddress: "10.0.0.9")
            try await audit.append(AuditRecord(action: .loginFailed, entityType: "user", entityId: ""), actor: actor)
            clock.advance(by: 60)
            try await audit.append(
                AuditRecord(action: .storeCreated, entityType: "store", entityId: "5", storeId: 5), actor: actor)
            clock.advance(by: 60)
            try await audit.append(AuditRecord(action: .loginFailed, entityType: "user", entityId: ""), actor: actor)

            let all = try await audit.entries(AuditFilter(), scope: .system)
            #expect(all.map(\.action) == ["login.failed", "store.created", "login.failed"])
            #expect(all[0].at == base.addingTimeInterval(120) && all[0].clientAddress == "10.0.0.9")
            #expect(try await audit.entries(AuditFilter(action: "login.failed"), scope: .system).count == 2)
            #expect(try await audit.entries(AuditFilter(storeId: 5), scope: .system).map(\.entityId) == ["5"])
            let window = AuditFilter(from: base.addingTimeInterval(30), until: base.addingTimeInterval(90))
            #expect(try await audit.entries(window, scope: .system).map(\.action) == ["store.created"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theLogIsAppendOnlyInTheDatabaseItself(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let audit = SQLAuditStore(database: database, now: { Date() })
            try await audit.append(
                AuditRecord(action: .logout, entityType: "user", entityId: "1"),
                actor: AuditActor(userId: nil, login: "x", clientAddress: "y"))
            await #expect(throws: (any Error).self) { try await database.run("UPDATE audit_log SET login = 'forged'") }
            await #expect(throws: (any Error).self) { try await database.run("DELETE FROM audit_log") }
            #expect(try await audit.entries(AuditFilter(), scope: .system).map(\.login) == ["x"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func onlyAdministratorsReadIt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let audit = SQLAuditStore(database: database, now: { Date() })
            let manager = Scope(userId: 2, login: "m", role: .storeManager, storeIds: [1], clientAddress: "x")
            await #expect(throws: RevisitError(.forbidden, code: .forbidden)) {
                try await audit.entries(AuditFilter(), scope: manager)
            }
        }
    }
}
