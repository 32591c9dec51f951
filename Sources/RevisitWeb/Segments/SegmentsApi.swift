import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Segmentation over the API: the runs of a store (the newest holds today's counts), a run on demand
/// for managers, and the store's thresholds.
struct SegmentsApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/segments/runs", "Segmentation runs of a store, newest first, with their counts",
            tag: "segments", response: "[SegmentRun]", query: ["storeId", "limit"]),
        ApiOperation(
            "post", "/api/v1/segments/runs", "Classify the store's customers now (managers)", tag: "segments",
            request: .json(schema: "SegmentRunInput"), response: "SegmentRun", status: 201),
        ApiOperation(
            "get", "/api/v1/segments/settings", "The store's segmentation thresholds", tag: "segments",
            response: "SegmentSettings", query: ["storeId"]),
        ApiOperation(
            "put", "/api/v1/segments/settings", "Change the store's thresholds (managers); used from the next run",
            tag: "segments", request: .json(schema: "SegmentSettings"), response: "SegmentSettings", query: ["storeId"]),
        ApiOperation(
            "get", "/api/v1/segments/metrics",
            "The store's analytics as of its last run: churn and retention by year, five-year churn, loyal share, "
                + "cohorts, lifetime-value inputs, workshop figures, vehicles by age band and warranty, movement",
            tag: "segments", response: "StoreRunMetrics", query: ["storeId"]),
        ApiOperation(
            "get", "/api/v1/segments/lifetime-value",
            "The Dwyer lifetime-value table of a cohort, from the store's data; any input may be given to override it",
            tag: "segments", response: "DwyerTable", query: ["storeId"] + DwyerInputs.overridable),
        ApiOperation(
            "get", "/api/v1/segments/compare",
            "The last run of each store the caller may see (of one group with groupId), side by side", tag: "segments",
            response: "[StoreRunMetrics]", query: ["groupId"]),
    ]

    struct RunInput: Decodable {
        var storeId: Int64?
        var asOf: String?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        registerMetrics(on: router)
        router.get("/segments/runs") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let limit = min(max(try Parse.int(request.uri.queryParameters.get("limit"), field: "limit") ?? 20, 1), 200)
            return try Response.json(
                try await services.segments.runs(storeId: storeId, limit: limit, scope: auth.scope))
        }
        router.post("/segments/runs") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(RunInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            let asOf = try await services.asOf(input.asOf, storeId: storeId, auth: auth)
            let run = try await services.segments.run(storeId: storeId, asOf: asOf, trigger: .manual, scope: auth.scope)
            return try Response.json(run, status: .created)
        }
        router.get("/segments/settings") { request, context in
            let auth = try context.requireAuth()
            return try Response.json(
                try await services.segments.settings(
                    storeId: try auth.storeId(named: request.uri.queryParameters.get("storeId")), scope: auth.scope))
        }
        router.put("/segments/settings") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let settings = try await request.json(SegmentSettings.self, context: context)
            try await services.segments.saveSettings(settings, storeId: storeId, scope: auth.scope)
            return try Response.json(try await services.segments.settings(storeId: storeId, scope: auth.scope))
        }
    }

    func registerMetrics(on router: RouterGroup<AppRequestContext>) {
        router.get("/segments/metrics") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            return try Response.json(try await services.segments.requireMetrics(storeId: storeId, scope: auth.scope))
        }
        router.get("/segments/lifetime-value") { request, context in
            let auth = try context.requireAuth()
            let params = request.uri.queryParameters
            let storeId = try auth.storeId(named: params.get("storeId"))
            let latest = try await services.segments.requireMetrics(storeId: storeId, scope: auth.scope)
            return try Response.json(try latest.metrics.lifetimeValue(overrides: try Self.overrides { params.get($0) }))
        }
        router.get("/segments/compare") { request, context in
            let auth = try context.requireAuth()
            let groupId = try Parse.int(request.uri.queryParameters.get("groupId"), field: "groupId").map(Int64.init)
            let stores = try await services.identity.stores(scope: auth.scope).filter {
                $0.active && (groupId == nil || $0.groupId == groupId)
            }
            return try Response.json(
                try await services.segments.latestMetrics(storeIds: stores.map(\.id), scope: auth.scope))
        }
    }

    /// The Dwyer inputs a query or form gives, by name; blank ones are left to the store's data.
    static func overrides(_ get: (String) -> String?) throws -> [String: Double] {
        var overrides: [String: Double] = [:]
        for name in DwyerInputs.overridable {
            guard let text = get(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
            guard let value = Double(text) else {
                throw RevisitError(.validation, code: .invalidValue, field: name, args: ["field": name])
            }
            overrides[name] = value
        }
        return overrides
    }
}

extension AppServices {
    /// The day an API request names as `asOf`, or today where the store is.
    func asOf(_ text: String?, storeId: Int64, auth: Authenticated) async throws -> LocalDate {
        if let day = try Parse.date(text, field: "asOf") { return day }
        return try await identity.store(id: storeId, scope: auth.scope).day(at: now())
    }
}
