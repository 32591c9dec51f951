import Foundation
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import RevisitWeb
import Testing

@Suite struct AuthStoreTests {
    func withFixture(
        _ engine: DatabaseEngine, _ body: @Sendable (SQLAuthStore, SQLIdentityStore, Fixture) async throws -> Void
    ) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            try await body(SQLAuthStore(database: database), identity, fixture)
        }
    }

    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: TestDatabase.engines)
    func sessionsAreFoundByTokenDigestAndSweptWhenExpired(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { auth, _, f in
            let session = try await auth.createSession(
                userId: f.advisorA.id, tokenHash: "digest-1", csrfToken: "csrf", currentStoreId: f.storeA.id, now: t0,
                clientAddress: "10.1.1.1")
            let found = try #require(try await auth.session(tokenHash: "digest-1"))
            #expect(found.session == session)
            #expect(found.user.login == "advisor-a")
            try await auth.touchSession(id: session.id, now: t0.addingTimeInterval(600))
            #expect(try await auth.session(tokenHash: "digest-1")?.session.lastSeenAt == t0.addingTimeInterval(600))
            let old = try await auth.createSession(
                userId: f.csrA.id, tokenHash: "digest-2", csrfToken: "c", currentStoreId: nil,
                now: t0.addingTimeInterval(-3 * 3600),
                clientAddress: "x")
            _ = old
            let removed = try await auth.deleteExpiredSessions(
                idleBefore: t0.addingTimeInterval(-2 * 3600), createdBefore: t0.addingTimeInterval(-12 * 3600))
            #expect(removed == 1)
            #expect(try await auth.session(tokenHash: "digest-2") == nil)
            #expect(try await auth.session(tokenHash: "digest-1") != nil)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func revokedTokensAndInactiveUsersAreNotFound(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { auth, identity, f in
            let scope = try await identity.scope(for: f.managerA, clientAddress: "x")
            let token = try await auth.createApiToken(
                userId: f.managerA.id, name: "DMS sync", tokenHash: "tok-1", prefix: "rvt_abc", now: t0, scope: scope)
            #expect(try await auth.apiTokenUser(tokenHash: "tok-1", now: t0)?.user.id == f.managerA.id)
            #expect(try await auth.apiTokens(userId: f.managerA.id).map(\.name) == ["DMS sync"])
            // Someone else's token cannot be revoked by guessing its id.
            let other = try await identity.scope(for: f.csrA, clientAddress: "x")
            await #expect(throws: RevisitError.notFound()) {
                try await auth.revokeApiToken(id: token.id, userId: f.csrA.id, now: t0, scope: other)
            }
            try await auth.revokeApiToken(id: token.id, userId: f.managerA.id, now: t0, scope: scope)
            #expect(try await auth.apiTokenUser(tokenHash: "tok-1", now: t0) == nil)
            #expect(try await auth.apiTokens(userId: f.managerA.id).first?.revokedAt == t0)

            _ = try await auth.createApiToken(
                userId: f.csrA.id, name: "n", tokenHash: "tok-2", prefix: "p", now: t0, scope: other)
            _ = try await identity.setActive(userId: f.csrA.id, active: false, scope: .system)
            #expect(try await auth.apiTokenUser(tokenHash: "tok-2", now: t0) == nil)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func failedLoginsAreCountedPerLoginAndPerAddressInsideTheWindow(engine: DatabaseEngine) async throws {
        try await withFixture(engine) { auth, _, _ in
            for minutes in [20.0, 10, 5] {
                try await auth.recordLoginAttempt(
                    login: "Root", clientAddress: "1.2.3.4", succeeded: false, at: t0.addingTimeInterval(-minutes * 60))
            }
            try await auth.recordLoginAttempt(login: "root", clientAddress: "1.2.3.4", succeeded: true, at: t0)
            try await auth.recordLoginAttempt(login: "other", clientAddress: "5.6.7.8", succeeded: false, at: t0)
            let since = t0.addingTimeInterval(-15 * 60)
            #expect(try await auth.failedLogins(login: "root", since: since).count == 2)
            #expect(try await auth.failedLogins(clientAddress: "1.2.3.4", since: since).count == 2)
            #expect(try await auth.failedLogins(clientAddress: "5.6.7.8", since: since).count == 1)
            #expect(try await auth.deleteLoginAttempts(before: since) == 1)
        }
    }
}
