import Foundation
import RevisitCore
import Synchronization

/// Who an API token belongs to and which stores a cross-store role sees, kept in memory for a few
/// seconds. Every API request needs both; asking the database for them cost more than the screen-pop
/// lookup itself.
///
/// Any identity write through this process (users, their stores, tokens, stores, groups) bumps the
/// generation after it commits, so this process never serves a stale answer. A reader tags what it caches
/// with the generation it saw *before* reading, so a write that commits during the read makes the entry
/// stale at once. Writes from another process (the CLI, a second server on PostgreSQL) are seen when the
/// entry expires: `lifetime` bounds that delay.
public final class IdentityCache: Sendable {
    struct TokenEntry: Sendable {
        let token: ApiToken
        let user: User
        let generation: UInt64
        let expires: ContinuousClock.Instant
    }

    struct StoresEntry: Sendable {
        let storeIds: [Int64]
        let generation: UInt64
        let expires: ContinuousClock.Instant
    }

    private struct State {
        var generation: UInt64 = 0
        var tokens: [String: TokenEntry] = [:]
        var stores: [String: StoresEntry] = [:]
    }

    private let state = Mutex(State())
    let lifetime: Duration
    /// A bound on memory when many tokens are in use; the cache simply starts over.
    private let capacity: Int

    public init(lifetime: Duration = .seconds(5), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The generation to tag a read with; take it before reading the database.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Forgets everything; called after every identity write commits.
    public func invalidate() {
        state.withLock {
            $0.generation &+= 1
            $0.tokens.removeAll(keepingCapacity: true)
            $0.stores.removeAll(keepingCapacity: true)
        }
    }

    func token(hash: String) -> TokenEntry? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.tokens[hash], entry.generation == state.generation, entry.expires > now else {
                return nil
            }
            return entry
        }
    }

    func store(token: ApiToken, user: User, hash: String, readAt generation: UInt64) {
        let entry = TokenEntry(
            token: token, user: user, generation: generation, expires: ContinuousClock.now + lifetime)
        state.withLock { state in
            guard generation == state.generation else { return }
            if state.tokens.count >= capacity { state.tokens.removeAll(keepingCapacity: true) }
            state.tokens[hash] = entry
        }
    }

    func storeIds(key: String) -> [Int64]? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.stores[key], entry.generation == state.generation, entry.expires > now else {
                return nil
            }
            return entry.storeIds
        }
    }

    func store(storeIds: [Int64], key: String, readAt generation: UInt64) {
        let entry = StoresEntry(storeIds: storeIds, generation: generation, expires: ContinuousClock.now + lifetime)
        state.withLock { state in
            guard generation == state.generation else { return }
            if state.stores.count >= capacity { state.stores.removeAll(keepingCapacity: true) }
            state.stores[key] = entry
        }
    }
}
