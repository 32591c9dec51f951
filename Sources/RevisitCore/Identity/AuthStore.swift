import Foundation

/// A browser session as stored: the token itself never is, only its hash.
public struct SessionRecord: Sendable, Equatable {
    public var id: Int64
    public var userId: Int64
    public var csrfToken: String
    public var currentStoreId: Int64?
    public var createdAt: Date
    public var lastSeenAt: Date

    public init(
        id: Int64, userId: Int64, csrfToken: String, currentStoreId: Int64?, createdAt: Date, lastSeenAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.csrfToken = csrfToken
        self.currentStoreId = currentStoreId
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}

/// An API token as listed to its owner: name, a short prefix to recognise it, and its life.
public struct ApiToken: Sendable, Equatable, Codable {
    public var id: Int64
    public var userId: Int64
    public var name: String
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: Int64, userId: Int64, name: String, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.userId = userId
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// Sessions, API tokens and login attempts. These belong to users, not stores, so they take no scope;
/// the web layer only ever passes the authenticated user's own id.
public protocol AuthStore: Sendable {
    func createSession(
        userId: Int64, tokenHash: String, csrfToken: String, currentStoreId: Int64?, now: Date, clientAddress: String
    ) async throws -> SessionRecord
    /// The session and its user, if the user is still active.
    func session(tokenHash: String) async throws -> (session: SessionRecord, user: User)?
    func touchSession(id: Int64, now: Date) async throws
    func setSessionStore(id: Int64, storeId: Int64) async throws
    func deleteSession(id: Int64) async throws
    func deleteExpiredSessions(idleBefore: Date, createdBefore: Date) async throws -> Int

    func createApiToken(
        userId: Int64, name: String, tokenHash: String, prefix: String, now: Date, scope: Scope
    )
        async throws -> ApiToken
    func apiTokens(userId: Int64) async throws -> [ApiToken]
    func revokeApiToken(id: Int64, userId: Int64, now: Date, scope: Scope) async throws
    /// The token's active user, if the token exists, is not revoked and the user is active.
    func apiTokenUser(tokenHash: String, now: Date) async throws -> (token: ApiToken, user: User)?

    func recordLoginAttempt(login: String, clientAddress: String, succeeded: Bool, at: Date) async throws
    func failedLogins(login: String, since: Date) async throws -> [Date]
    func failedLogins(clientAddress: String, since: Date) async throws -> [Date]
    func deleteLoginAttempts(before: Date) async throws -> Int
}
