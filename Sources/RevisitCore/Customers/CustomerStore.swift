import Foundation

/// One page of a list and the cursor for the next, if any. Lists never count exactly: on large stores
/// a count costs more than the page itself.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

public enum CustomerSort: String, Sendable, CaseIterable {
    /// By name, then id.
    case name
    /// Newest records first.
    case newest
}

/// Data-quality problems a list can be filtered by.
public enum DataFlag: String, Sendable, CaseIterable {
    case phone, vin, plate, incomplete
}

/// What the customer list asks for. `q` matches a name (prefix), any phone (full, or its last digits),
/// a plate, a VIN fragment (its end) or the DMS customer number.
public struct CustomerQuery: Sendable, Equatable {
    public var q: String
    public var storeId: Int64?
    public var ownerId: Int64?
    /// Customers the team owns as a team.
    public var ownerTeamId: Int64? = nil
    public var tag: String?
    public var type: CustomerType?
    public var consentSMS: Bool?
    public var consentCallback: Bool?
    public var alertOnly: Bool
    public var flag: DataFlag?
    /// Classes from the last segmentation run (DOMAIN §3).
    public var valueClass: ValueClass?
    public var quadrant: Quadrant?
    public var churnStage: ChurnStage?
    public var sort: CustomerSort
    public var limit: Int
    public var cursor: String?

    public init(
        q: String = "", storeId: Int64? = nil, ownerId: Int64? = nil, tag: String? = nil, type: CustomerType? = nil,
        consentSMS: Bool? = nil, consentCallback: Bool? = nil, alertOnly: Bool = false, flag: DataFlag? = nil,
        sort: CustomerSort = .name, limit: Int = 50, cursor: String? = nil
    ) {
        self.q = q
        self.storeId = storeId
        self.ownerId = ownerId
        self.tag = tag
        self.type = type
        self.consentSMS = consentSMS
        self.consentCallback = consentCallback
        self.alertOnly = alertOnly
        self.flag = flag
        self.sort = sort
        self.limit = limit
        self.cursor = cursor
    }
}

/// A customer row of a list: enough to recognise and open them.
public struct CustomerSummary: Sendable, Equatable {
    public var id: Int64
    public var storeId: Int64
    public var customerNo: String?
    public var name: String
    public var type: CustomerType
    public var primaryPhone: PhoneNumber?
    public var ownerId: Int64?
    public var ownerTeamId: Int64? = nil
    public var alertReason: String?
    public var completeness: Int
    public var tags: [String]

    public init(
        id: Int64, storeId: Int64, customerNo: String?, name: String, type: CustomerType, primaryPhone: PhoneNumber?,
        ownerId: Int64?, alertReason: String?, completeness: Int, tags: [String]
    ) {
        self.id = id
        self.storeId = storeId
        self.customerNo = customerNo
        self.name = name
        self.type = type
        self.primaryPhone = primaryPhone
        self.ownerId = ownerId
        self.alertReason = alertReason
        self.completeness = completeness
        self.tags = tags
    }
}

/// Customers of the stores in scope. Records of other stores are `notFound`.
public protocol CustomerStore: Sendable {
    func customers(_ query: CustomerQuery, scope: Scope) async throws -> Page<CustomerSummary>
    /// A customer by id; a merged record is returned as is, with `mergedIntoId` set.
    func customer(id: Int64, scope: Scope) async throws -> Customer
    func createCustomer(storeId: Int64, _ draft: CustomerDraft, scope: Scope) async throws -> Customer
    /// Refused with `versionConflict` when the record changed since `expectedVersion` was read.
    func updateCustomer(
        id: Int64, _ draft: CustomerDraft, expectedVersion: Int64, scope: Scope
    ) async throws -> Customer
    /// Sets (reason) or clears (nil) the alert flag; both are written to the timeline and audit log.
    func setAlert(customerId: Int64, reason: String?, scope: Scope) async throws -> Customer
    func interactions(customerId: Int64, kind: InteractionKind?, limit: Int, scope: Scope) async throws -> [Interaction]
    func addInteraction(customerId: Int64, kind: InteractionKind, summary: String, scope: Scope) async throws
    /// Customers with this number among their phones (merged records resolve to their survivor), each
    /// with its vehicles and newest interactions: the screen pop.
    func lookup(phone: PhoneNumber, scope: Scope) async throws -> [ScreenPop]
    /// Records that a user saw a customer's full numbers.
    func recordReveal(customerId: Int64, scope: Scope) async throws
    /// Merges `mergedId` into `survivorId`: every vehicle, repair order, interaction and later record moves
    /// to the survivor; the merged record stays as a searchable tombstone pointing at it.
    func merge(
        survivorId: Int64, mergedId: Int64, taking fields: Set<MergeField>, scope: Scope
    ) async throws -> Customer
    func duplicateCandidates(storeId: Int64, limit: Int, scope: Scope) async throws -> [DuplicatePair]
    func dataQuality(storeId: Int64, scope: Scope) async throws -> DataQualityReport
}
