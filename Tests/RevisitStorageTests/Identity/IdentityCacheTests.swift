import Foundation
import RevisitCore
import Testing

@testable import RevisitStorage

@Suite struct IdentityCacheTests {
    static let user = User(
        id: 7, login: "sa", name: "顾问", role: .serviceAdvisor, groupId: nil, storeIds: [1], language: .default,
        active: true)
    static let token = ApiToken(
        id: 3, userId: 7, name: "crm", prefix: "rvt_abcd", createdAt: Date(timeIntervalSince1970: 0), lastUsedAt: nil,
        revokedAt: nil)

    @Test func anEntryIsServedUntilAnIdentityWrite() {
        let cache = IdentityCache()
        cache.store(token: Self.token, user: Self.user, hash: "h", readAt: cache.generation)
        #expect(cache.token(hash: "h")?.user == Self.user)
        cache.invalidate()
        #expect(cache.token(hash: "h") == nil)
    }

    /// A read that started before a write committed must not be cached: it may hold the old answer.
    @Test func aReadOverlappingAWriteIsNotKept() {
        let cache = IdentityCache()
        let before = cache.generation
        cache.invalidate()
        cache.store(token: Self.token, user: Self.user, hash: "h", readAt: before)
        cache.store(storeIds: [1, 2], key: "admin", readAt: before)
        #expect(cache.token(hash: "h") == nil)
        #expect(cache.storeIds(key: "admin") == nil)
    }

    @Test func entriesExpire() async throws {
        let cache = IdentityCache(lifetime: .milliseconds(20))
        cache.store(storeIds: [1, 2], key: "admin", readAt: cache.generation)
        #expect(cache.storeIds(key: "admin") == [1, 2])
        try await Task.sleep(for: .milliseconds(40))
        #expect(cache.storeIds(key: "admin") == nil)
    }

    @Test func aFullCacheStartsOver() {
        let cache = IdentityCache(capacity: 2)
        for n in 0..<3 { cache.store(token: Self.token, user: Self.user, hash: "h\(n)", readAt: cache.generation) }
        #expect(cache.token(hash: "h0") == nil && cache.token(hash: "h2") != nil)
    }
}
