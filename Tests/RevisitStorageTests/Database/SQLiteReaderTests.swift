import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import Testing

@testable import RevisitStorage

@Suite struct SQLiteReaderTests {
    /// The reader keeps the screen pop's statements prepared; a statement prepared again on every call
    /// would cost as much as not caching at all.
    @Test func theScreenPopStatementsStayPrepared() async throws {
        try await TestDatabase.with(.sqlite) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let customers = SQLCustomerStore(database: database, now: { Date() })
            let scope = try await identity.scope(for: fixture.advisorA, clientAddress: "t")
            for n in 0..<3 {
                _ = try await customers.createCustomer(
                    storeId: fixture.storeA.id,
                    CustomerDraft(
                        name: "客户\(n)",
                        phones: [CustomerPhone(number: PhoneNumber("1381234567\(n)"), kind: .mobile, primary: true)]),
                    scope: scope)
            }
            for n in 0..<3 { _ = try await customers.lookup(phone: PhoneNumber("1381234567\(n)"), scope: scope) }
            let reader = try #require(database.sqliteReader)
            // Ids 1, 2, 3 bound in turn: without the planner-stability setting SQLite prepares each
            // statement again when a key moves off 1 (it weighs 0/1 as flags).
            let counts = try reader.read { $0.reprepares }.filter { $0.key.hasPrefix("SELECT") }
            #expect(counts.count == 5)
            #expect(counts.values.allSatisfy { $0 == 0 }, "\(counts)")
        }
    }
}
