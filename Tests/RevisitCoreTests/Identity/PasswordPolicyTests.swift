import Foundation
import RevisitCore
import Testing

@Suite struct PasswordPolicyTests {
    @Test func sevenCharactersAreTooShortAndEightAreEnough() throws {
        #expect(throws: RevisitError(.validation, code: .passwordTooShort, field: "password", args: ["min": "8"])) {
            try PasswordPolicy.check("1234567")
        }
        try PasswordPolicy.check("12345678")
    }

    @Test func longPassPhrasesAreAllowedUpTo128Characters() throws {
        try PasswordPolicy.check(String(repeating: "长", count: 64))
        try PasswordPolicy.check(String(repeating: "x", count: 128))
        #expect(throws: RevisitError.self) { try PasswordPolicy.check(String(repeating: "x", count: 129)) }
    }
}
