import Foundation

/// How a store hands unowned customers to its service advisors and advisor teams (DOMAIN §4).
public struct AssignmentSettings: Sendable, Equatable, Codable {
    /// Customers of these value classes go to these advisors and teams, e.g. A and B to the senior ones.
    public struct Rule: Sendable, Equatable, Codable {
        public var valueClasses: [ValueClass]
        public var advisorIds: [Int64]
        public var teamIds: [Int64]

        public init(valueClasses: [ValueClass], advisorIds: [Int64], teamIds: [Int64] = []) {
            self.valueClasses = valueClasses
            self.advisorIds = advisorIds
            self.teamIds = teamIds
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            valueClasses = try container.decode([ValueClass].self, forKey: .valueClasses)
            advisorIds = try container.decodeIfPresent([Int64].self, forKey: .advisorIds) ?? []
            teamIds = try container.decodeIfPresent([Int64].self, forKey: .teamIds) ?? []
        }

        var pool: [CustomerOwner] { OwnerAssignment.pool(advisorIds, teamIds) }
    }

    public var rules: [Rule] = []
    /// Customers of a brand go to these advisors (a brand's specialists); before the general pool.
    public var byBrand: [String: [Int64]] = [:]
    /// Everyone else; both empty means every active advisor of the store.
    public var advisorIds: [Int64] = []
    public var teamIds: [Int64] = []
    /// Customers a DMS file brings in are assigned when the import finishes.
    public var onImport = true

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rules = try container.decodeIfPresent([Rule].self, forKey: .rules) ?? []
        byBrand = try container.decodeIfPresent([String: [Int64]].self, forKey: .byBrand) ?? [:]
        advisorIds = try container.decodeIfPresent([Int64].self, forKey: .advisorIds) ?? []
        teamIds = try container.decodeIfPresent([Int64].self, forKey: .teamIds) ?? []
        onImport = try container.decodeIfPresent(Bool.self, forKey: .onImport) ?? true
    }

    /// Every advisor named must be an active advisor of the store, every team one of its teams.
    public func validated(advisors: Set<Int64>, teams: Set<Int64> = []) throws(RevisitError) -> AssignmentSettings {
        func refuse(_ field: String) -> RevisitError {
            RevisitError(.validation, code: .invalidValue, field: field, args: ["field": field])
        }
        for rule in rules
        where rule.pool.isEmpty || !Set(rule.advisorIds).isSubset(of: advisors)
            || !Set(rule.teamIds).isSubset(of: teams)
        {
            throw refuse("rules")
        }
        for ids in byBrand.values where ids.isEmpty || !Set(ids).isSubset(of: advisors) { throw refuse("byBrand") }
        guard Set(advisorIds).isSubset(of: advisors) else { throw refuse("advisorIds") }
        guard Set(teamIds).isSubset(of: teams) else { throw refuse("teamIds") }
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
    /// Each customer goes to the eligible owner with the fewest customers per head so far (a team's
    /// customers divided by its members; ties to advisors before teams, then the lower id), so every
    /// pool evens out: the first matching class rule, else the brand's advisors, else the general pool.
    /// Customers are taken most valuable first, so the senior pool's evening out starts with the A
    /// customers. `teamSizes` gives each team of the store its members. Nobody eligible leaves a
    /// customer unowned.
    public static func assign(
        _ customers: [UnownedCustomer], load: [CustomerOwner: Int], advisors: [Int64], teamSizes: [Int64: Int] = [:],
        settings: AssignmentSettings
    ) -> [(customerId: Int64, owner: CustomerOwner)] {
        var load = load
        let configured = pool(settings.advisorIds, settings.teamIds)
        let general = configured.isEmpty ? advisors.map { CustomerOwner(advisorId: $0) } : configured
        let rank: (ValueClass?) -> Int = {
            $0.map { ValueClass.allCases.firstIndex(of: $0)! } ?? ValueClass.allCases.count
        }
        func perHead(_ owner: CustomerOwner) -> (Double, Int, Int64) {
            let count = Double(load[owner] ?? 0)
            if let team = owner.teamId { return (count / Double(max(1, teamSizes[team] ?? 1)), 1, team) }
            return (count, 0, owner.advisorId ?? 0)
        }
        let ordered = customers.sorted { (rank($0.valueClass), $0.customerId) < (rank($1.valueClass), $1.customerId) }
        var pairs: [(customerId: Int64, owner: CustomerOwner)] = []
        pairs.reserveCapacity(customers.count)
        for customer in ordered {
            let candidates =
                settings.rules.first { rule in customer.valueClass.map(rule.valueClasses.contains) ?? false }?.pool
                ?? customer.brand.flatMap { settings.byBrand[$0] }.map { pool($0, []) } ?? general
            guard let chosen = candidates.min(by: { perHead($0) < perHead($1) }) else { continue }
            load[chosen, default: 0] += 1
            pairs.append((customer.customerId, chosen))
        }
        return pairs
    }

    /// An owner's customers spread evenly over others (an advisor who leaves, a team disbanded): least
    /// loaded per head first.
    public static func spread(
        _ customers: [Int64], over targets: [CustomerOwner], load: [CustomerOwner: Int], teamSizes: [Int64: Int] = [:]
    ) -> [(customerId: Int64, owner: CustomerOwner)] {
        var settings = AssignmentSettings()
        settings.advisorIds = targets.compactMap(\.advisorId)
        settings.teamIds = targets.compactMap(\.teamId)
        return assign(
            customers.map { UnownedCustomer(customerId: $0) }, load: load, advisors: [], teamSizes: teamSizes,
            settings: settings)
    }

    static func pool(_ advisors: [Int64], _ teams: [Int64]) -> [CustomerOwner] {
        advisors.map { CustomerOwner(advisorId: $0) } + teams.map { CustomerOwner(teamId: $0) }
    }
}

/// One change of a customer's owner (an advisor or a team).
public struct OwnerChange: Sendable, Equatable, Codable {
    public var fromOwnerId: Int64?
    public var toOwnerId: Int64?
    public var fromTeamId: Int64?
    public var toTeamId: Int64?
    /// assigned, imported, reassigned, edited.
    public var reason: String
    public var at: Date
    public var by: String

    public init(
        fromOwnerId: Int64?, toOwnerId: Int64?, fromTeamId: Int64? = nil, toTeamId: Int64? = nil, reason: String,
        at: Date, by: String
    ) {
        self.fromOwnerId = fromOwnerId
        self.toOwnerId = toOwnerId
        self.fromTeamId = fromTeamId
        self.toTeamId = toTeamId
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

    /// A form's owner choice: "12" an advisor, "team:3" a team, "" nobody; nil when neither.
    public init?(choice: String) {
        if choice.isEmpty {
            self.init()
        } else if choice.hasPrefix("team:"), let id = Int64(choice.dropFirst(5)) {
            self.init(teamId: id)
        } else if let id = Int64(choice) {
            self.init(advisorId: id)
        } else {
            return nil
        }
    }

    /// The form's value for this owner (see `init(choice:)`).
    public var choice: String { teamId.map { "team:\($0)" } ?? advisorId.map(String.init) ?? "" }
}
