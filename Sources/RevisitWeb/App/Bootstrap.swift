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
}
