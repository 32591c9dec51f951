import Foundation

/// How a store hands unowned customers to its service advisors (DOMAIN §4).
public struct AssignmentSettings: Sendable, Equatable, Codable {
    /// Customers of these value classes go to these advisors, e.g. A and B to the senior ones.
    public struct Rule: Sendable, Equatable, Codable {
        public var valueClasses: [ValueClass]
        public var advisorIds: [Int64]

        public init(valueClasses: [ValueClass], advisorIds: [Int64]) {
            self.valueClasses = valueClasses
            self.advisorIds = advisorIds
        }
    }

    public var rules: [Rule] = []
    /// Customers of a brand go to these advisors (a brand's specialists); before the general pool.
    public var byBrand: [String: [Int64]] = [:]
    /// Everyone else; empty means every active advisor of the store.
    public var advisorIds: [Int64] = []
    /// Customers a DMS file brings in are assigned when the import finishes.
    public var onImport = true

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rules = try container.decodeIfPresent([Rule].self, forKey: .rules) ?? []
        byBrand = try container.decodeIfPresent([String: [Int64]].self, forKey: .byBrand) ?? [:]
        advisorIds = try container.decodeIfPresent([Int64].self, forKey: .advisorIds) ?? []
        onImport = try container.decodeIfPresent(Bool.self, forKey: .onImport) ?? true
    }

    /// Every advisor named must be an active advisor of the store.
    public func validated(advisors: Set<Int64>) throws(RevisitError) -> AssignmentSettings {
        func refuse(_ field: String) -> RevisitError {
            RevisitError(.validation, code: .invalidValue, field: field, args: ["field": field])
        }
        for rule in rules where rule.advisorIds.isEmpty || !Set(rule.advisorIds).isSubset(of: advisors) {
            throw refuse("rules")
        }
        for ids in byBrand.values where ids.isEmpty || !Set(ids).isSubset(of: advisors) { throw refuse("byBrand") }
        guard Set(advisorIds).isSubset(of: advisors) else { throw refuse("advisorIds") }
        return self
    }
}

/// A customer waiting for an owner, with what the rules look at.
public struct UnownedCustomer: Sendable, Equatable {
    public var customerId: Int64
    public var valueClass: ValueClass?
    public var brand: String?

    public init(customerId: Int64, valueClass: ValueClass? = nil, brand: String? = nil) {
        self.customerId = customerId
        self.valueClass = valueClass
        self.brand = brand
    }
}

public enum OwnerAssignment {
    /// Each customer goes to the eligible advisor with the fewest customers so far (ties to the lower
    /// id), so every pool evens out: the first matching class rule, else the brand's advisors, else the
    /// general pool. Customers are taken most valuable first, so the senior pool's evening out starts
    /// with the A customers. Returns (customer, advisor) pairs; nobody eligible leaves a customer unowned.
    public static func assign(
        _ customers: [UnownedCustomer], load: [Int64: Int], advisors: [Int64], settings: AssignmentSettings
    ) -> [(customerId: Int64, advisorId: Int64)] {
        var load = load
        let general = settings.advisorIds.isEmpty ? advisors : settings.advisorIds
        let rank: (ValueClass?) -> Int = {
            $0.map { ValueClass.allCases.firstIndex(of: $0)! } ?? ValueClass.allCases.count
        }
        let ordered = customers.sorted { (rank($0.valueClass), $0.customerId) < (rank($1.valueClass), $1.customerId) }
        var pairs: [(customerId: Int64, advisorId: Int64)] = []
        pairs.reserveCapacity(customers.count)
        for customer in ordered {
            let pool =
                settings.rules.first { rule in customer.valueClass.map(rule.valueClasses.contains) ?? false }?
                .advisorIds
                ?? customer.brand.flatMap { settings.byBrand[$0] } ?? general
            guard let chosen = pool.min(by: { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }) else { continue }
            load[chosen, default: 0] += 1
            pairs.append((customer.customerId, chosen))
        }
        return pairs
    }

    /// An advisor's customers spread evenly over others (one who leaves): least loaded first.
    public static func spread(
        _ customers: [Int64], over targets: [Int64], load: [Int64: Int]
    ) -> [(customerId: Int64, advisorId: Int64)] {
        assign(
            customers.map { UnownedCustomer(customerId: $0) }, load: load, advisors: targets,
            settings: AssignmentSettings())
    }
}

/// One change of a customer's owner.
public struct OwnerChange: Sendable, Equatable, Codable {
    public var fromOwnerId: Int64?
    public var toOwnerId: Int64?
    /// assigned, imported, reassigned, edited.
    public var reason: String
    public var at: Date
    public var by: String

    public init(fromOwnerId: Int64?, toOwnerId: Int64?, reason: String, at: Date, by: String) {
        self.fromOwnerId = fromOwnerId
        self.toOwnerId = toOwnerId
        self.reason = reason
        self.at = at
        self.by = by
    }
}

/// Who owns a customer: one service advisor, or one advisor team (DOMAIN §4), or nobody yet.
public struct CustomerOwner: Sendable, Equatable, Hashable {
    public var advisorId: Int64?
    public var teamId: Int64?

    public init(advisorId: Int64? = nil, teamId: Int64? = nil) {
        self.advisorId = advisorId
        self.teamId = teamId
    }
}
