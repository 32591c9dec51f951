import Foundation
import Hummingbird
import RevisitCore

/// Merging duplicates and a store's data-quality figures over the API.
struct QualityApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "post", "/api/v1/customers/{id}/merge",
            "Merge another customer into this one; every related row moves here (managers and customer service)",
            tag: "customers", request: .json(schema: "MergeInput"), response: "Customer"),
        ApiOperation(
            "get", "/api/v1/stores/{id}/data-quality", "Data-quality counts and duplicate candidates of a store",
            tag: "stores", response: "DataQuality"),
    ]

    struct MergeInput: Decodable {
        var mergedId: Int64?
        var take: [String]?
    }

    struct PairDTO: Encodable {
        let reason: String
        let key: String
        let firstId: Int64
        let secondId: Int64
    }

    struct QualityDTO: Encodable {
        let report: DataQualityReport
        let duplicates: [PairDTO]
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.post("/customers/:id/merge") { request, context in
            let auth = try context.requireAuth()
            let survivor = try await services.customers.customer(
                id: try context.parameters.requireID(), scope: auth.scope)
            guard auth.user.role.canMerge else { throw RevisitError(.forbidden, code: .forbidden) }
            let input = try await request.json(MergeInput.self, context: context)
            guard let mergedId = input.mergedId else {
                throw RevisitError(.validation, code: .required, field: "mergedId")
            }
            var fields: Set<MergeField> = []
            for name in input.take ?? [] {
                guard let field = MergeField(rawValue: name) else {
                    throw RevisitError(.validation, code: .invalidValue, field: "take", args: ["value": name])
                }
                fields.insert(field)
            }
            let merged = try await services.customers.merge(
                survivorId: survivor.id, mergedId: mergedId, taking: fields, scope: auth.scope)
            return try await CustomersApi(services: services).json(merged, auth: auth)
        }
        router.get("/stores/:id/data-quality") { _, context in
            let auth = try context.requireAuth()
            let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
            let report = try await services.customers.dataQuality(storeId: store.id, scope: auth.scope)
            let pairs = try await services.customers.duplicateCandidates(
                storeId: store.id, limit: 200, scope: auth.scope)
            let masking = PhoneMasking(role: auth.user.role)
            return try Response.json(
                QualityDTO(
                    report: report,
                    duplicates: pairs.map {
                        PairDTO(
                            reason: $0.reason.rawValue,
                            key: $0.reason == .phone ? masking.text(PhoneNumber($0.key)) : $0.key,
                            firstId: $0.first.id, secondId: $0.second.id)
                    }))
        }
    }
}
