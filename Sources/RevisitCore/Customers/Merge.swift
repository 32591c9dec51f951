import Foundation

/// The profile fields a merge may take from the record being merged away; every other value stays the
/// survivor's, phones, tags and contacts are united, and every related row moves to the survivor.
public enum MergeField: String, Sendable, CaseIterable, Codable {
    case name, type, gender, birthday, address, region, sourceChannel, consent, licenceReviewDate, owner, notes
}

/// A pair of customers that look like the same person or company, and why.
public struct DuplicatePair: Sendable, Equatable {
    public enum Reason: String, Sendable, Codable { case phone, vin, plate }

    public var first: CustomerSummary
    public var second: CustomerSummary
    public var reason: Reason
    /// The shared phone, plate or VIN.
    public var key: String

    public init(first: CustomerSummary, second: CustomerSummary, reason: Reason, key: String) {
        self.first = first
        self.second = second
        self.reason = reason
        self.key = key
    }
}

/// What the data-quality page counts for one store.
public struct DataQualityReport: Sendable, Equatable, Codable {
    public var customers: Int
    public var invalidPhones: Int
    public var invalidVINs: Int
    public var invalidPlates: Int
    public var incomplete: Int
    public var averageCompleteness: Int
    /// Customers missing each key field, by field name.
    public var missing: [String: Int]
    public var duplicatePairs: Int

    public init(
        customers: Int, invalidPhones: Int, invalidVINs: Int, invalidPlates: Int, incomplete: Int,
        averageCompleteness: Int, missing: [String: Int], duplicatePairs: Int
    ) {
        self.customers = customers
        self.invalidPhones = invalidPhones
        self.invalidVINs = invalidVINs
        self.invalidPlates = invalidPlates
        self.incomplete = incomplete
        self.averageCompleteness = averageCompleteness
        self.missing = missing
        self.duplicatePairs = duplicatePairs
    }
}

extension CustomerDraft {
    /// The survivor's draft after taking `fields` from `merged` and uniting phones, tags and contacts.
    public static func merged(survivor: Customer, merged: Customer, taking fields: Set<MergeField>) -> CustomerDraft {
        var draft = CustomerDraft(survivor)
        let other = CustomerDraft(merged)
        for field in fields {
            switch field {
            case .name: draft.name = other.name
            case .type: draft.type = other.type
            case .gender: draft.gender = other.gender
            case .birthday: draft.birthday = other.birthday
            case .address: draft.address = other.address
            case .region: draft.region = other.region
            case .sourceChannel: draft.sourceChannel = other.sourceChannel
            case .consent:
                draft.consentMarketingSMS = other.consentMarketingSMS
                draft.consentCallback = other.consentCallback
                draft.consentServiceSMS = other.consentServiceSMS
            case .licenceReviewDate: draft.licenceReviewDate = other.licenceReviewDate
            case .owner: draft.owner = other.owner
            case .notes: draft.notes = other.notes
            }
        }
        // Empty survivor values are filled from the other record even when not chosen: nothing known is lost.
        if draft.birthday == nil { draft.birthday = other.birthday }
        if draft.address.isEmpty { draft.address = other.address }
        if draft.region.isEmpty { draft.region = other.region }
        if draft.sourceChannel.isEmpty { draft.sourceChannel = other.sourceChannel }
        if draft.owner == CustomerOwner() { draft.owner = other.owner }
        if draft.licenceReviewDate == nil { draft.licenceReviewDate = other.licenceReviewDate }
        if draft.gender == .unknown { draft.gender = other.gender }
        let known = Set(draft.phones.map(\.number.digits))
        draft.phones += other.phones.filter { !known.contains($0.number.digits) }.map {
            CustomerPhone(number: $0.number, kind: $0.kind, primary: false)
        }
        draft.tags += other.tags.filter { !draft.tags.contains($0) }
        draft.contacts += other.contacts.filter { contact in !draft.contacts.contains { $0.name == contact.name } }
        if !other.notes.isEmpty, !fields.contains(.notes), draft.notes != other.notes {
            draft.notes = [draft.notes, other.notes].filter { !$0.isEmpty }.joined(separator: "\n")
        }
        return draft
    }
}
