import Foundation
import RevisitCore

/// Checks a login and password against the throttle, the stored hash and the user's state, and writes
/// every outcome to the audit log. The throttle counts failures per account and per client address.
struct Authenticator: Sendable {
    let services: AppServices

    func authenticate(login rawLogin: String, password: String, clientAddress: String) async throws -> User {
        let login = String(rawLogin.trimmingCharacters(in: .whitespaces).lowercased().prefix(100))
        let now = services.now()
        let throttle = services.config.loginThrottle
        let actor = AuditActor(userId: nil, login: login, clientAddress: clientAddress)
        let since = throttle.windowStart(now: now)

        let byAddress = try await services.auth.failedLogins(clientAddress: clientAddress, since: since)
        if case .locked(let until) = throttle.decide(
            failures: byAddress, limit: throttle.maxFailuresPerAddress, now: now)
        {
            try await refuse(code: .addressLocked, until: until, now: now, actor: actor, reason: "address")
        }
        let byLogin = try await services.auth.failedLogins(login: login, since: since)
        if case .locked(let until) = throttle.decide(failures: byLogin, limit: throttle.maxFailures, now: now) {
            try await refuse(code: .accountLocked, until: until, now: now, actor: actor, reason: "account")
        }

        let credentials = try await services.identity.credentials(login: login)
        // A missing login is checked against a decoy hash so it takes as long as a wrong password.
        let hash = credentials?.passwordHash ?? services.hasher.decoyHash
        let matches = try await services.hasher.verify(password, hash: hash)
        guard let credentials, matches, credentials.user.active else {
            try await services.auth.recordLoginAttempt(
                login: login, clientAddress: clientAddress, succeeded: false, at: now)
            let reason = credentials == nil ? "unknown login" : (matches ? "inactive user" : "wrong password")
            try await services.audit.append(
                AuditRecord(
                    action: .loginFailed, entityType: "user", entityId: credentials.map { String($0.user.id) } ?? "",
                    detail: reason),
                actor: AuditActor(userId: credentials?.user.id, login: login, clientAddress: clientAddress))
            if byLogin.count + 1 == throttle.maxFailures {
                try await services.audit.append(
                    AuditRecord(
                        action: .loginLocked, entityType: "user",
                        entityId: credentials.map { String($0.user.id) } ?? "",
                        detail: "account locked after \(throttle.maxFailures) failures"),
                    actor: actor)
            }
            throw RevisitError(.unauthorized, code: .invalidCredentials)
        }
        try await services.auth.recordLoginAttempt(login: login, clientAddress: clientAddress, succeeded: true, at: now)
        try await services.audit.append(
            AuditRecord(action: .loginSucceeded, entityType: "user", entityId: String(credentials.user.id)),
            actor: AuditActor(userId: credentials.user.id, login: login, clientAddress: clientAddress))
        return credentials.user
    }

    private func refuse(
        code: ErrorCode, until: Date, now: Date, actor: AuditActor, reason: String
    ) async throws -> Never {
        try await services.audit.append(
            AuditRecord(action: .loginLocked, entityType: "user", entityId: "", detail: "refused: \(reason) locked"),
            actor: actor)
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        throw RevisitError(.tooManyRequests, code: code, retryAfter: seconds)
    }
}
