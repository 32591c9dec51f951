import Foundation
import RevisitCore
import Testing

@Suite struct RoleAndScopeTests {
    @Test func rolesParseFromTheirCLICodes() throws {
        #expect(try Role(code: "group-analyst") == .groupAnalyst)
        #expect(try Role(code: " Service-Advisor ") == .serviceAdvisor)
        #expect(
            Role.allCases.map(\.rawValue) == [
                "admin", "group-analyst", "store-manager", "service-advisor", "csr", "marketing",
            ])
    }

    @Test func anUnknownRoleNamesTheAllowedOnes() {
        #expect {
            try Role(code: "boss")
        } throws: { error in
            let error = error as! RevisitError
            return error.code == .unknownRole && error.field == "role"
                && error.args["allowed"]!.contains("store-manager")
        }
    }

    @Test func aStoreScopeSeesOnlyItsStores() {
        let scope = Scope(userId: 7, login: "sa", role: .serviceAdvisor, storeIds: [1, 3], clientAddress: "x")
        #expect(scope.canSee(store: 1))
        #expect(!scope.canSee(store: 2))
        #expect(throws: RevisitError.self) { try scope.requireAdmin() }
    }

    @Test func administratorsSeeEveryStore() throws {
        let scope = Scope(userId: 1, login: "root", role: .admin, storeIds: [], clientAddress: "x")
        #expect(scope.canSee(store: 999))
        try scope.requireAdmin()
    }
}
