import Foundation

/// Groups, stores and users. Every method takes the caller's scope; reads return only what the scope
/// may see (anything else is `notFound`), writes check the role and record themselves in the audit log
/// in the same transaction.
public protocol IdentityStore: Sendable {
    func groups(scope: Scope) async throws -> [Group]
    func group(id: Int64, scope: Scope) async throws -> Group
    /// By code, for the CLI; an unknown code is a validation error on the field `group`.
    func group(code: String, scope: Scope) async throws -> Group
    func createGroup(_ draft: GroupDraft, scope: Scope) async throws -> Group
    func updateGroup(id: Int64, _ draft: GroupDraft, scope: Scope) async throws -> Group

    func stores(scope: Scope) async throws -> [Store]
    func store(id: Int64, scope: Scope) async throws -> Store
    func store(code: String, scope: Scope) async throws -> Store
    func createStore(_ draft: StoreDraft, scope: Scope) async throws -> Store
    func updateStore(id: Int64, _ draft: StoreDraft, scope: Scope) async throws -> Store

    func users(scope: Scope) async throws -> [User]
    func users(inStore storeId: Int64, scope: Scope) async throws -> [User]
    func user(id: Int64, scope: Scope) async throws -> User
    func createUser(_ draft: UserDraft, passwordHash: String, scope: Scope) async throws -> User
    func updateUser(id: Int64, _ draft: UserDraft, scope: Scope) async throws -> User
    /// Sets a new password hash; ends the user's sessions unless it is the caller's own change.
    func setPassword(userId: Int64, passwordHash: String, endSessions: Bool, scope: Scope) async throws
    /// Deactivating ends every session and revokes nothing else: API tokens stop working because
    /// token look-ups require an active user.
    func setActive(userId: Int64, active: Bool, scope: Scope) async throws -> User
    func setLanguage(userId: Int64, language: Language, scope: Scope) async throws

    /// For login only: the user and their password hash, whatever the scope.
    func credentials(login: String) async throws -> (user: User, passwordHash: String)?
    /// The scope a user acts in: admins see all stores, group analysts their group's, others their own.
    func scope(for user: User, clientAddress: String) async throws -> Scope
    /// Active administrators; when there are none, `serve` creates one so someone can sign in.
    func activeAdministratorCount() async throws -> Int
}
