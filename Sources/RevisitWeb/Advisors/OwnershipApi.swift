import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Ownership and the advisors' figures over the API.
struct OwnershipApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/advisors",
            "Each advisor's book (classes, stages, monthly churn), receptions and reminder execution and conversion",
            tag: "ownership", response: "[AdvisorSummary]", query: ["storeId", "asOf"]),
        ApiOperation(
            "post", "/api/v1/ownership/assign",
            "Give every unowned customer an advisor by the store's rules (managers)",
            tag: "ownership", request: .json(schema: "SegmentRunInput"), response: "OwnershipMoves"),
        ApiOperation(
            "post", "/api/v1/ownership/reassign",
            "Move an advisor's (from) or a team's (fromTeam) customers evenly over advisors (to) and teams (toTeams) (managers); with preview true nothing moves",
            tag: "ownership", request: .json(schema: "ReassignInput"), response: "OwnershipMoves"),
        ApiOperation(
            "get", "/api/v1/ownership/settings", "The store's assignment rules", tag: "ownership",
            response: "AssignmentSettings", query: ["storeId"]),
        ApiOperation(
            "put", "/api/v1/ownership/settings", "Change the store's assignment rules (managers)", tag: "ownership",
            request: .json(schema: "AssignmentSettings"), response: "AssignmentSettings", query: ["storeId"]),
        ApiOperation(
            "get", "/api/v1/customers/{id}/owners", "A customer's owners over time, newest first", tag: "ownership",
            response: "[OwnerChange]"),
    ]

    struct StoreInput: Decodable {
        var storeId: Int64?
    }

    struct ReassignInput: Decodable {
        var storeId: Int64?
        var from: Int64?
        var fromTeam: Int64?
        var to: [Int64]?
        var toTeams: [Int64]?
        var preview: Bool?

        var source: CustomerOwner { CustomerOwner(advisorId: fromTeam == nil ? from : nil, teamId: fromTeam) }
        var targets: [CustomerOwner] {
            (to ?? []).map { CustomerOwner(advisorId: $0) } + (toTeams ?? []).map { CustomerOwner(teamId: $0) }
        }
    }

    /// Customers moved (or that would move) per owner: an advisor's id, or "team:" and a team's.
    struct Moves: Encodable {
        let moved: [String: Int]
        let preview: Bool

        init(_ counts: [CustomerOwner: Int], preview: Bool) {
            moved = Dictionary(uniqueKeysWithValues: counts.map { ($0.key.choice, $0.value) })
            self.preview = preview
        }
    }

    /// The summary with its rates, as the API gives it.
    struct Summary: Encodable {
        let summary: AdvisorSummary
        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(summary.receptionsPerDay, forKey: .receptionsPerDay)
            try container.encode(summary.executionRate, forKey: .executionRate)
            try container.encode(summary.conversionRate(), forKey: .conversionRate)
        }
        enum Keys: String, CodingKey { case receptionsPerDay, executionRate, conversionRate }
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/advisors") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let asOf = try await services.asOf(request.uri.queryParameters.get("asOf"), storeId: storeId, auth: auth)
            let summaries = try await services.advisors.summaries(storeId: storeId, asOf: asOf, scope: auth.scope)
            return try Response.json(summaries.map(Summary.init))
        }
        router.post("/ownership/assign") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(StoreInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            let counts = try await services.ownership.assignUnowned(
                storeId: storeId, reason: "assigned", scope: auth.scope)
            return try Response.json(Moves(counts, preview: false))
        }
        router.post("/ownership/reassign") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(ReassignInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            let preview = input.preview ?? false
            let counts =
                preview
                ? try await services.ownership.previewReassign(
                    storeId: storeId, from: input.source, to: input.targets, scope: auth.scope)
                : try await services.ownership.reassign(
                    storeId: storeId, from: input.source, to: input.targets, scope: auth.scope)
            return try Response.json(Moves(counts, preview: preview))
        }
        router.get("/ownership/settings") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            return try Response.json(try await services.ownership.settings(storeId: storeId, scope: auth.scope))
        }
        router.put("/ownership/settings") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let settings = try await request.json(AssignmentSettings.self, context: context)
            try await services.ownership.saveSettings(settings, storeId: storeId, scope: auth.scope)
            return try Response.json(try await services.ownership.settings(storeId: storeId, scope: auth.scope))
        }
        router.get("/customers/:id/owners") { _, context in
            let auth = try context.requireAuth()
            let customer = try await services.customers.customer(
                id: try context.parameters.requireID(), scope: auth.scope)
            return try Response.json(
                try await services.ownership.history(
                    customerId: customer.id, storeId: customer.storeId, scope: auth.scope))
        }
    }
}
