import RevisitCore
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        "13812345678", "+86 138-1234-5678", "0086 13812345678", "8613812345678", "138 1234 5678", "(+86)138.1234.5678",
    ])
    func mobilesInAnyWrittenForm(raw: String) {
        let phone = PhoneNumber(raw)
        #expect(phone.format == .mobile)
        #expect(phone.digits == "13812345678")
        #expect(phone.masked == "138****5678")
    }

    @Test func landlinesKeepTheirAreaCode() {
        let beijing = PhoneNumber("010-85550101")
        #expect(beijing.format == .landline && beijing.digits == "01085550101" && beijing.display == "010-85550101")
        #expect(beijing.masked == "010-****0101")
        let international = PhoneNumber("+86 10 8555 0101")
        #expect(international.digits == "01085550101" && international.format == .landline)
        let shenzhen = PhoneNumber("0755-2345678 转 801")
        #expect(shenzhen.format == .landline && shenzhen.display == "0755-2345678")
        #expect(PhoneNumber("(0571)87654321").format == .landline)
    }

    @Test(arguments: ["12345678", "12812345678", "1381234567", "85550101", "abc", "010-123"])
    func otherNumbersAreKeptButFlagged(raw: String) {
        let phone = PhoneNumber(raw)
        #expect(phone.format == .other)
        #expect(!phone.isValid)
    }

    @Test func aDraftRefusesUnrecognisablePhonesAndKeepsOnePrimary() throws {
        let phones = [
            CustomerPhone(number: PhoneNumber("13812345678"), kind: .mobile, primary: false),
            CustomerPhone(number: PhoneNumber("+8613812345678"), kind: .home, primary: true),
            CustomerPhone(number: PhoneNumber("010-85550101"), kind: .office, primary: true),
        ]
        let draft = try CustomerDraft(name: "王伟", phones: phones).validated()
        #expect(draft.phones.map(\.number.digits) == ["13812345678", "01085550101"])
        #expect(draft.phones.map(\.primary) == [false, true])
        #expect(throws: RevisitError(.validation, code: .invalidPhone, field: "phones[0]", args: ["value": "12345"])) {
            try CustomerDraft(
                name: "x", phones: [CustomerPhone(number: PhoneNumber("12345"), kind: .mobile, primary: true)]
            )
            .validated()
        }
        // Imports keep it, flagged.
        #expect(
            try CustomerDraft(
                name: "x", phones: [CustomerPhone(number: PhoneNumber("12345"), kind: .mobile, primary: true)]
            )
            .normalized().phones.count == 1)
    }
}
