import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Reminders over the API: the list advisors work (filters of the contract), one reminder, its outcome,
/// the daily runs and a run on demand, the store's rules.
struct RemindersApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/reminders", "Reminders by due date; filters as the contract names them", tag: "reminders",
            response: "ReminderPage",
            query: [
                "storeId", "type", "status", "ownerId", "teamId", "customerNo", "vin", "dueFrom", "dueTo", "limit",
                "cursor",
            ]),
        ApiOperation("get", "/api/v1/reminders/{id}", "One reminder", tag: "reminders", response: "Reminder"),
        ApiOperation(
            "post", "/api/v1/reminders/{id}/outcome", "Record what came of a reminder (its owner, CSRs, managers)",
            tag: "reminders", request: .json(schema: "ReminderOutcomeInput"), response: "Reminder"),
        ApiOperation(
            "get", "/api/v1/reminders/runs", "The store's reminder runs, newest first", tag: "reminders",
            response: "[ReminderRun]", query: ["storeId", "limit"]),
        ApiOperation(
            "post", "/api/v1/reminders/runs", "Run the store's rules now (managers); creates only what is new",
            tag: "reminders", request: .json(schema: "SegmentRunInput"), response: "ReminderRun", status: 201),
        ApiOperation(
            "get", "/api/v1/reminders/settings", "The store's reminder rules", tag: "reminders",
            response: "ReminderSettings", query: ["storeId"]),
        ApiOperation(
            "put", "/api/v1/reminders/settings", "Change the store's rules (managers); used from the next run",
            tag: "reminders", request: .json(schema: "ReminderSettings"), response: "ReminderSettings",
            query: ["storeId"]),
    ]

    struct OutcomeInput: Decodable {
        var outcome: String
        var note: String?
    }

    struct RunInput: Decodable {
        var storeId: Int64?
        var asOf: String?
    }

    struct Page: Encodable {
        let items: [Reminder]
        let nextCursor: String?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/reminders") { request, context in
            let auth = try context.requireAuth()
            let query = try Self.query { request.uri.queryParameters.get($0) }
            let page = try await services.reminders.reminders(query, scope: auth.scope)
            return try Response.json(Page(items: page.items, nextCursor: page.nextCursor))
        }
        router.get("/reminders/runs") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let limit = min(max(try Parse.int(request.uri.queryParameters.get("limit"), field: "limit") ?? 20, 1), 200)
            return try Response.json(
                try await services.reminders.runs(storeId: storeId, limit: limit, scope: auth.scope))
        }
        router.post("/reminders/runs") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(RunInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            let asOf = try await services.asOf(input.asOf, storeId: storeId, auth: auth)
            let run = try await services.reminders.run(
                storeId: storeId, asOf: asOf, trigger: .manual, scope: auth.scope)
            return try Response.json(run, status: .created)
        }
        router.get("/reminders/settings") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            return try Response.json(try await services.reminders.settings(storeId: storeId, scope: auth.scope))
        }
        router.put("/reminders/settings") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let settings = try await request.json(ReminderSettings.self, context: context)
            try await services.reminders.saveSettings(settings, storeId: storeId, scope: auth.scope)
            return try Response.json(try await services.reminders.settings(storeId: storeId, scope: auth.scope))
        }
        router.get("/reminders/:id") { _, context in
            let auth = try context.requireAuth()
            return try Response.json(
                try await services.reminders.reminder(id: try context.parameters.requireID(), scope: auth.scope))
        }
        router.post("/reminders/:id/outcome") { request, context in
            let auth = try context.requireAuth()
            let id = try context.parameters.requireID()
            let input = try await request.json(OutcomeInput.self, context: context)
            guard let outcome = ReminderOutcome(rawValue: input.outcome) else {
                throw RevisitError(
                    .validation, code: .invalidValue, field: "outcome",
                    args: [
                        "value": input.outcome,
                        "allowed": ReminderOutcome.allCases.map(\.rawValue).joined(separator: ", "),
                    ])
            }
            return try Response.json(
                try await services.reminders.recordOutcome(
                    id: id, outcome: outcome, note: input.note ?? "", scope: auth.scope))
        }
    }

    /// The list's filters from a query string (the page's form uses the same names).
    static func query(_ get: (String) -> String?) throws -> ReminderQuery {
        var query = ReminderQuery()
        query.storeId = try Parse.int(get("storeId"), field: "storeId").map(Int64.init)
        query.type = try Parse.enumValue(get("type"), ReminderType.self, field: "type")
        query.status = try Parse.enumValue(get("status"), ReminderStatus.self, field: "status")
        query.ownerId = try Parse.int(get("ownerId"), field: "ownerId").map(Int64.init)
        query.teamId = try Parse.int(get("teamId"), field: "teamId").map(Int64.init)
        // The page's one owner select: "12" an advisor, "team:3" a team.
        if let choice = get("owner"), !choice.isEmpty {
            guard let owner = CustomerOwner(choice: choice) else {
                throw RevisitError(.validation, code: .invalidValue, field: "owner", args: ["value": choice])
            }
            query.ownerId = owner.advisorId
            query.teamId = owner.teamId
        }
        query.customerNo = get("customerNo").flatMap { $0.isEmpty ? nil : $0 }
        query.vin = get("vin").flatMap { $0.isEmpty ? nil : $0 }
        query.dueFrom = try Parse.date(get("dueFrom"), field: "dueFrom")
        query.dueTo = try Parse.date(get("dueTo"), field: "dueTo")
        query.limit = min(max(try Parse.int(get("limit"), field: "limit") ?? 50, 1), 200)
        query.cursor = get("cursor").flatMap { $0.isEmpty ? nil : $0 }
        return query
    }
}
