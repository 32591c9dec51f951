import Hummingbird
import NIOCore
import RevisitCore

/// Who is signed in, as the middlewares found out.
public struct Authenticated: Sendable {
    public var user: User
    public var scope: Scope
    /// Set for browser sessions, nil for API tokens.
    public var session: SessionRecord?
    /// Stores the user may switch between, and the one chosen.
    public var stores: [Store]
    public var currentStore: Store?
}

/// Per-request state shared by middlewares and handlers.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The socket peer; X-Forwarded-For replaces it only when configured.
    public var clientAddress: String
    public var language: Language = .default
    public var auth: Authenticated?
    /// Set when a session cookie was present but the session had expired.
    public var sessionExpired = false
    /// The parsed body of a form post.
    public var form = FormData()
    /// A one-shot message key from the previous request (after a redirect).
    public var flash: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The signed-in user's scope; throws 401 when nobody is signed in (middleware normally prevents it).
    public func requireAuth() throws -> Authenticated {
        guard let auth else { throw RevisitError(.unauthorized, code: .unauthorized) }
        return auth
    }

    public var scope: Scope {
        get throws { try requireAuth().scope }
    }
}
