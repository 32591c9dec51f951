import Foundation
import RevisitCore

/// The customer form's fields, read from a post and written back when the form is shown again.
struct CustomerForm {
    static let phoneSlots = 3
    static let contactSlots = 2

    /// Reads a posted form into a draft; `version` is the one the form was built from.
    static func draft(from form: FormData) throws(RevisitError) -> (draft: CustomerDraft, version: Int64?) {
        var phones: [CustomerPhone] = []
        let primary = Int(form["primaryPhone"]) ?? 0
        for slot in 0..<phoneSlots {
            let number = form["phone\(slot)"].trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty else { continue }
            let kind = PhoneKind(rawValue: form["phoneKind\(slot)"]) ?? .mobile
            phones.append(CustomerPhone(number: PhoneNumber(number), kind: kind, primary: slot == primary))
        }
        var contacts: [CustomerContact] = []
        for slot in 0..<contactSlots {
            let name = form["contactName\(slot)"]
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let phone = form["contactPhone\(slot)"]
            contacts.append(
                CustomerContact(
                    name: name, title: form["contactTitle\(slot)"], phone: phone.isEmpty ? nil : PhoneNumber(phone)))
        }
        var draft = CustomerDraft(
            customerNo: form["customerNo"], type: CustomerType(rawValue: form["type"]) ?? .individual,
            name: form["name"],
            gender: Gender(rawValue: form["gender"]) ?? .unknown,
            birthday: try Parse.date(form["birthday"], field: "birthday"),
            phones: phones, address: form["address"], region: form["region"], sourceChannel: form["sourceChannel"],
            consentMarketingSMS: form.has("consentSms"), consentCallback: form.has("consentCallback"),
            tags: form["tags"].split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map(String.init),
            notes: form["notes"],
            licenceReviewDate: try Parse.date(form["licenceReviewDate"], field: "licenceReviewDate"),
            contacts: contacts)
        draft.owner = CustomerOwner(choice: form["owner"]) ?? CustomerOwner()
        draft.consentServiceSMS = form.has("consentService")
        return (draft, Int64(form["version"]))
    }
}

/// What the customer form template shows.
struct CustomerFormPage {
    struct PhoneSlot {
        let index: Int
        let number: String
        let kinds: [Option]
        let primary: Bool
    }
    struct ContactSlot {
        let index: Int
        let name: String
        let title: String
        let phone: String
    }
    let action: String
    let cancelHref: String
    let csrf: String
    let version: Int64?
    let error: String?
    let errorField: String?
    let customerNo: String
    let name: String
    let types: [Option]
    let genders: [Option]
    let birthday: String
    let phones: [PhoneSlot]
    let address: String
    let region: String
    let sourceChannel: String
    let consentSms: Bool
    let consentCallback: Bool
    let consentService: Bool
    let tags: String
    let notes: String
    let licenceReviewDate: String
    let owners: [Option]
    let contacts: [ContactSlot]

    init(
        draft: CustomerDraft, version: Int64?, action: String, cancelHref: String, csrf: String, error: String?,
        errorField: String?, owners: OwnerChoices, localizer: Localizer, language: Language
    ) {
        self.action = action
        self.cancelHref = cancelHref
        self.csrf = csrf
        self.version = version
        self.error = error
        self.errorField = errorField
        customerNo = draft.customerNo ?? ""
        name = draft.name
        types = CustomerType.allCases.map {
            Option(
                value: $0.rawValue, label: localizer.text("customer_type.\($0.rawValue)", language),
                selected: $0 == draft.type)
        }
        genders = Gender.allCases.map {
            Option(
                value: $0.rawValue, label: localizer.text("gender.\($0.rawValue)", language),
                selected: $0 == draft.gender)
        }
        birthday = draft.birthday?.description ?? ""
        phones = (0..<CustomerForm.phoneSlots).map { slot in
            let phone = slot < draft.phones.count ? draft.phones[slot] : nil
            return PhoneSlot(
                index: slot, number: phone?.number.display ?? "",
                kinds: PhoneKind.allCases.map {
                    Option(
                        value: $0.rawValue, label: localizer.text("phone_kind.\($0.rawValue)", language),
                        selected: $0 == (phone?.kind ?? (slot == 0 ? .mobile : .home)))
                },
                primary: phone?.primary ?? (slot == 0 && draft.phones.isEmpty))
        }
        address = draft.address
        region = draft.region
        sourceChannel = draft.sourceChannel
        consentSms = draft.consentMarketingSMS
        consentCallback = draft.consentCallback
        consentService = draft.consentServiceSMS
        tags = draft.tags.joined(separator: ", ")
        notes = draft.notes
        licenceReviewDate = draft.licenceReviewDate?.description ?? ""
        self.owners = owners.options(selected: draft.owner, none: "—", activeOnly: true)
        contacts = (0..<CustomerForm.contactSlots).map { slot in
            let contact = slot < draft.contacts.count ? draft.contacts[slot] : nil
            return ContactSlot(
                index: slot, name: contact?.name ?? "", title: contact?.title ?? "",
                phone: contact?.phone?.display ?? "")
        }
    }
}
