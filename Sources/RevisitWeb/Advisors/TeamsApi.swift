import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Advisor teams over the API: the store's teams, writing them (managers), and each team's book.
struct TeamsApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/teams", "The store's advisor teams with their members and leader", tag: "ownership",
            response: "[AdvisorTeam]", query: ["storeId"]),
        ApiOperation(
            "post", "/api/v1/teams", "Create a team (managers); members leave any other team", tag: "ownership",
            request: .json(schema: "TeamInput"), response: "AdvisorTeam", status: 201),
        ApiOperation("get", "/api/v1/teams/{id}", "One team", tag: "ownership", response: "AdvisorTeam"),
        ApiOperation(
            "put", "/api/v1/teams/{id}", "Change a team's name, leader and members (managers)", tag: "ownership",
            request: .json(schema: "TeamInput"), response: "AdvisorTeam"),
        ApiOperation(
            "delete", "/api/v1/teams/{id}", "Delete a team that owns no customers (managers)", tag: "ownership",
            response: "Empty"),
        ApiOperation(
            "get", "/api/v1/advisors/teams",
            "Each team's book (its own customers and its members'), monthly churn, receptions, execution, conversion",
            tag: "ownership", response: "[TeamSummary]", query: ["storeId", "asOf"]),
    ]

    struct TeamInput: Decodable {
        var storeId: Int64?
        var name: String
        var leaderId: Int64?
        var memberIds: [Int64]

        var draft: TeamDraft { TeamDraft(name: name, leaderId: leaderId, memberIds: memberIds) }
    }

    /// A team's figures with the rates worked out, as the advisors' summaries give them.
    struct Book: Encodable {
        let summary: TeamSummary
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(summary.team, forKey: .team)
            try container.encode(OwnershipApi.Summary(summary: summary.book), forKey: .book)
        }
        enum Keys: String, CodingKey { case team, book }
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        let teams = services.teams
        router.get("/teams") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            return try Response.json(try await teams.teams(storeId: storeId, scope: auth.scope))
        }
        router.post("/teams") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(TeamInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            return try Response.json(
                try await teams.create(input.draft, storeId: storeId, scope: auth.scope), status: .created)
        }
        router.get("/teams/:id") { _, context in
            let auth = try context.requireAuth()
            return try Response.json(try await teams.team(id: try context.parameters.requireID(), scope: auth.scope))
        }
        router.put("/teams/:id") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(TeamInput.self, context: context)
            return try Response.json(
                try await teams.update(id: try context.parameters.requireID(), input.draft, scope: auth.scope))
        }
        router.delete("/teams/:id") { _, context in
            let auth = try context.requireAuth()
            try await teams.delete(id: try context.parameters.requireID(), scope: auth.scope)
            return try Response.json([String: String]())
        }
        router.get("/advisors/teams") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let asOf = try await services.asOf(request.uri.queryParameters.get("asOf"), storeId: storeId, auth: auth)
            let books = try await services.advisors.books(storeId: storeId, asOf: asOf, scope: auth.scope)
            return try Response.json(books.teams.map(Book.init))
        }
    }
}
