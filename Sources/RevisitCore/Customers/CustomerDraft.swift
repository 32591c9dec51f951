import Foundation

/// The editable fields of a customer, as a form or the API sends them, checked before anything is written.
public struct CustomerDraft: Sendable, Equatable {
    public var customerNo: String?
    public var type: CustomerType
    public var name: String
    public var gender: Gender
    public var birthday: LocalDate?
    public var phones: [CustomerPhone]
    public var address: String
    public var region: String
    public var sourceChannel: String
    public var consentMarketingSMS: Bool
    public var consentCallback: Bool
    public var consentServiceSMS: Bool = true
    public var tags: [String]
    public var notes: String
    public var licenceReviewDate: LocalDate?
    public var ownerId: Int64?
    /// An advisor team as the owner instead of one advisor; never both.
    public var ownerTeamId: Int64? = nil
    public var contacts: [CustomerContact]

    public init(
        customerNo: String? = nil, type: CustomerType = .individual, name: String, gender: Gender = .unknown,
        birthday: LocalDate? = nil, phones: [CustomerPhone] = [], address: String = "", region: String = "",
        sourceChannel: String = "", consentMarketingSMS: Bool = false, consentCallback: Bool = true,
        tags: [String] = [], notes: String = "", licenceReviewDate: LocalDate? = nil, ownerId: Int64? = nil,
        contacts: [CustomerContact] = []
    ) {
        self.customerNo = customerNo
        self.type = type
        self.name = name
        self.gender = gender
        self.birthday = birthday
        self.phones = phones
        self.address = address
        self.region = region
        self.sourceChannel = sourceChannel
        self.consentMarketingSMS = consentMarketingSMS
        self.consentCallback = consentCallback
        self.tags = tags
        self.notes = notes
        self.licenceReviewDate = licenceReviewDate
        self.ownerId = ownerId
        self.contacts = contacts
    }

    public init(_ customer: Customer) {
        self.init(
            customerNo: customer.customerNo, type: customer.type, name: customer.name, gender: customer.gender,
            birthday: customer.birthday, phones: customer.phones, address: customer.address, region: customer.region,
            sourceChannel: customer.sourceChannel, consentMarketingSMS: customer.consentMarketingSMS,
            consentCallback: customer.consentCallback, tags: customer.tags, notes: customer.notes,
            licenceReviewDate: customer.licenceReviewDate, ownerId: customer.ownerId, contacts: customer.contacts)
        consentServiceSMS = customer.consentServiceSMS
        ownerTeamId = customer.ownerTeamId
    }

    /// The owner as one value.
    public var owner: CustomerOwner {
        get { CustomerOwner(advisorId: ownerId, teamId: ownerTeamId) }
        set {
            ownerId = newValue.advisorId
            ownerTeamId = newValue.teamId
        }
    }

    /// Manual entry: phones must be recognisable (mobile or landline with area code); exactly one is
    /// primary; duplicates are dropped. Imports use `normalized()` instead, which keeps and flags.
    public func validated() throws(RevisitError) -> CustomerDraft {
        var draft = try normalized()
        for (index, phone) in draft.phones.enumerated() where !phone.number.isValid {
            throw RevisitError(
                .validation, code: .invalidPhone, field: "phones[\(index)]", args: ["value": phone.number.digits])
        }
        if draft.type == .individual { draft.contacts = [] }
        return draft
    }

    /// Trims, drops empty and repeated phones and tags, and makes sure one phone is primary.
    public func normalized() throws(RevisitError) -> CustomerDraft {
        var draft = self
        draft.name = try FieldRules.text(name, field: "name", max: 100)
        if let number = customerNo {
            let trimmed = try FieldRules.text(number, field: "customerNo", max: 40, required: false)
            draft.customerNo = trimmed.isEmpty ? nil : trimmed
        }
        draft.address = try FieldRules.text(address, field: "address", max: 200, required: false)
        draft.region = try FieldRules.text(region, field: "region", max: 60, required: false)
        draft.sourceChannel = try FieldRules.text(sourceChannel, field: "sourceChannel", max: 40, required: false)
        draft.notes = try FieldRules.text(notes, field: "notes", max: 2000, required: false)
        var seenTags: Set<String> = []
        draft.tags = []
        for tag in tags {
            let trimmed = try FieldRules.text(tag, field: "tags", max: 30, required: false)
            if !trimmed.isEmpty, seenTags.insert(trimmed).inserted { draft.tags.append(trimmed) }
        }
        if draft.tags.count > 20 { throw RevisitError(.validation, code: .tooMany, field: "tags", args: ["max": "20"]) }
        var seenPhones: Set<String> = []
        draft.phones = phones.filter { !$0.number.digits.isEmpty && seenPhones.insert($0.number.digits).inserted }
        if draft.phones.count > 10 {
            throw RevisitError(.validation, code: .tooMany, field: "phones", args: ["max": "10"])
        }
        if let first = draft.phones.firstIndex(where: { $0.primary }) {
            for index in draft.phones.indices { draft.phones[index].primary = index == first }
        } else if !draft.phones.isEmpty {
            draft.phones[0].primary = true
        }
        draft.contacts = []
        for contact in contacts {
            let name = try FieldRules.text(contact.name, field: "contacts", max: 60, required: false)
            guard !name.isEmpty else { continue }
            draft.contacts.append(
                CustomerContact(
                    name: name, title: try FieldRules.text(contact.title, field: "contacts", max: 60, required: false),
                    phone: contact.phone))
        }
        return draft
    }
}
