import Foundation
import RevisitCore

/// Parsing helpers shared by the API and the forms: every bad value names its field.
enum Parse {
    static func date(_ text: String?, field: String) throws(RevisitError) -> LocalDate? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let date = LocalDate(text) else {
            throw RevisitError(.validation, code: .invalidDate, field: field, args: ["value": text])
        }
        return date
    }

    static func enumValue<T: RawRepresentable>(
        _ text: String?, _ type: T.Type, field: String
    ) throws(RevisitError) -> T?
    where T.RawValue == String {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = T(rawValue: text) else {
            throw RevisitError(.validation, code: .invalidValue, field: field, args: ["value": text])
        }
        return value
    }

    static func int(_ text: String?, field: String) throws(RevisitError) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw RevisitError(.validation, code: .invalidValue, field: field, args: ["value": text])
        }
        return value
    }

    static func bool(_ text: String?) -> Bool? {
        switch text?.lowercased() {
        case "1", "true", "yes": true
        case "0", "false", "no": false
        default: nil
        }
    }
}

/// A customer as the API sends it; absent fields keep their current value on PATCH.
struct CustomerInput: Decodable {
    struct PhoneInput: Decodable {
        var number: String
        var kind: String?
        var primary: Bool?
    }

    struct ContactInput: Decodable {
        var name: String
        var title: String?
        var phone: String?
    }

    var storeId: Int64?
    var customerNo: String?
    var type: String?
    var name: String?
    var gender: String?
    var birthday: String?
    var phones: [PhoneInput]?
    var address: String?
    var region: String?
    var sourceChannel: String?
    var consentSms: Bool?
    var consentCallback: Bool?
    var consentService: Bool?
    var tags: [String]?
    var notes: String?
    var licenceReviewDate: String?
    /// 0 clears the owner; an advisor given replaces a team, and a team an advisor.
    var ownerId: Int64?
    var ownerTeamId: Int64?
    var contacts: [ContactInput]?
    var version: Int64?

    func apply(to base: CustomerDraft) throws(RevisitError) -> CustomerDraft {
        var draft = base
        if let customerNo { draft.customerNo = customerNo }
        if let type = try Parse.enumValue(type, CustomerType.self, field: "type") { draft.type = type }
        if let name { draft.name = name }
        if let gender = try Parse.enumValue(gender, Gender.self, field: "gender") { draft.gender = gender }
        if let birthday { draft.birthday = try Parse.date(birthday, field: "birthday") }
        if let phones {
            draft.phones = []
            for (index, phone) in phones.enumerated() {
                let kind = try Parse.enumValue(phone.kind, PhoneKind.self, field: "phones[\(index)].kind") ?? .mobile
                draft.phones.append(
                    CustomerPhone(number: PhoneNumber(phone.number), kind: kind, primary: phone.primary ?? false))
            }
        }
        if let address { draft.address = address }
        if let region { draft.region = region }
        if let sourceChannel { draft.sourceChannel = sourceChannel }
        if let consentSms { draft.consentMarketingSMS = consentSms }
        if let consentCallback { draft.consentCallback = consentCallback }
        if let consentService { draft.consentServiceSMS = consentService }
        if let tags { draft.tags = tags }
        if let notes { draft.notes = notes }
        if let licenceReviewDate {
            draft.licenceReviewDate = try Parse.date(licenceReviewDate, field: "licenceReviewDate")
        }
        if let ownerId {
            draft.ownerId = ownerId == 0 ? nil : ownerId
            if ownerId != 0 && ownerTeamId == nil { draft.ownerTeamId = nil }
        }
        if let ownerTeamId {
            draft.ownerTeamId = ownerTeamId == 0 ? nil : ownerTeamId
            if ownerTeamId != 0 && ownerId == nil { draft.ownerId = nil }
        }
        if let contacts {
            draft.contacts = contacts.map {
                CustomerContact(name: $0.name, title: $0.title ?? "", phone: $0.phone.map(PhoneNumber.init))
            }
        }
        return draft
    }
}

extension CustomerQuery {
    /// The list filters from query parameters, as both the page and the API take them.
    static func parse(_ get: (String) -> String?) throws(RevisitError) -> CustomerQuery {
        var query = CustomerQuery()
        query.q = String((get("q") ?? "").prefix(100))
        if let store = get("store"), !store.isEmpty {
            guard let id = Int64(store) else { throw RevisitError(.validation, code: .invalidValue, field: "store") }
            query.storeId = id
        }
        // "12" an advisor, "team:3" a team (the list's owner choice); ownerTeam=3 says the same.
        if let owner = get("owner"), !owner.isEmpty {
            guard let choice = CustomerOwner(choice: owner) else {
                throw RevisitError(.validation, code: .invalidValue, field: "owner")
            }
            query.ownerId = choice.advisorId
            query.ownerTeamId = choice.teamId
        }
        if let team = get("ownerTeam"), !team.isEmpty {
            guard let id = Int64(team) else { throw RevisitError(.validation, code: .invalidValue, field: "ownerTeam") }
            query.ownerTeamId = id
        }
        query.tag = get("tag").flatMap { $0.isEmpty ? nil : $0 }
        query.type = try Parse.enumValue(get("type"), CustomerType.self, field: "type")
        query.consentSMS = Parse.bool(get("consentSms"))
        query.consentCallback = Parse.bool(get("consentCallback"))
        query.alertOnly = Parse.bool(get("alert")) ?? false
        query.flag = try Parse.enumValue(get("flag"), DataFlag.self, field: "flag")
        query.valueClass = try Parse.enumValue(get("valueClass"), ValueClass.self, field: "valueClass")
        query.quadrant = try Parse.enumValue(get("quadrant"), Quadrant.self, field: "quadrant")
        query.churnStage = try Parse.enumValue(get("churnStage"), ChurnStage.self, field: "churnStage")
        query.sort = try Parse.enumValue(get("sort"), CustomerSort.self, field: "sort") ?? .name
        query.limit = min(max(try Parse.int(get("limit"), field: "limit") ?? 50, 1), 200)
        query.cursor = get("cursor").flatMap { $0.isEmpty ? nil : $0 }
        return query
    }
}
