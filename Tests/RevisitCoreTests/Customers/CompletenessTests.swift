import Foundation
import RevisitCore
import Testing

@Suite struct CompletenessTests {
    func customer(_ change: (inout Customer) -> Void = { _ in }) -> Customer {
        var customer = Customer(
            id: 1, storeId: 1, customerNo: nil, type: .individual, name: "李娜", gender: .female,
            birthday: LocalDate("1985-04-12"),
            phones: [CustomerPhone(number: PhoneNumber("13912345678"), kind: .mobile, primary: true)],
            address: "朝阳区建国路 88 号", region: "北京", sourceChannel: "展厅", consentMarketingSMS: true,
            consentCallback: true, tags: [], notes: "", licenceReviewDate: nil, ownerId: 7, contacts: [], alert: nil,
            mergedIntoId: nil, version: 1, createdAt: Date(), updatedAt: Date())
        change(&customer)
        return customer
    }

    @Test func aFullProfileScoresOneHundred() {
        #expect(Completeness.score(customer(), vehicleCount: 1) == 100)
        #expect(Completeness.missing(customer(), vehicleCount: 1) == [])
    }

    @Test func eachMissingKeyFieldCosts() {
        let sparse = customer {
            $0.birthday = nil
            $0.phones = [CustomerPhone(number: PhoneNumber("5551234"), kind: .mobile, primary: true)]
            $0.ownerId = nil
        }
        #expect(Completeness.missing(sparse, vehicleCount: 0) == ["phone", "birthday", "owner", "vehicle"])
        #expect(Completeness.score(sparse, vehicleCount: 0) == 56)
    }

    @Test func companiesAreNotAskedForGenderOrBirthday() {
        let company = customer {
            $0.type = .company
            $0.gender = .unknown
            $0.birthday = nil
        }
        #expect(Completeness.score(company, vehicleCount: 3) == 100)
    }
}
