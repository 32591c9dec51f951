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
    ]

    struct RunInput: Decodable {
        var storeId: Int64?
        var asOf: String?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
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
            let asOf = try await day(input.asOf, storeId: storeId, auth: auth)
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

    /// The given day, or today where the store is.
    func day(_ text: String?, storeId: Int64, auth: Authenticated) async throws -> LocalDate {
        if let text, !text.isEmpty {
            guard let day = LocalDate(text) else {
                throw RevisitError(.validation, code: .invalidDate, field: "asOf", args: ["value": text])
            }
            return day
        }
        let store = try await services.identity.store(id: storeId, scope: auth.scope)
        let zone = TimeZone(identifier: store.timeZone) ?? TimeZone(identifier: Store.defaultTimeZone)!
        return LocalDate(services.now(), timeZone: zone)
    }
}
