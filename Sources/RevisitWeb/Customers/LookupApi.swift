import Foundation
import Hummingbird
import RevisitCore

/// Screen pop: the telephone system (or the CSR's softphone) sends the caller's number in whatever form
/// it has; one request answers who it is, their vehicles, any alert and the last five interactions.
struct LookupApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/lookup", "Who is calling: customers with this phone, vehicles, alert, last interactions",
            tag: "customers", response: "LookupResult", query: ["phone"])
    ]

    struct Match: Encodable {
        let customer: CustomerDTO
        let vehicles: [VehicleDTO]
        let interactions: [Interaction]
    }

    struct Result: Encodable {
        let phone: String
        let matches: [Match]
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/lookup") { request, context in
            let auth = try context.requireAuth()
            let raw = request.uri.queryParameters.get("phone") ?? ""
            guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw RevisitError(.validation, code: .required, field: "phone")
            }
            let phone = PhoneNumber(String(raw.prefix(40)))
            let masking = PhoneMasking(role: auth.user.role)
            let matches = try await services.customers.lookup(phone: phone, scope: auth.scope).map { pop in
                Match(
                    customer: CustomerDTO(
                        pop.customer, storeCode: pop.storeCode,
                        completeness: Completeness.score(pop.customer, vehicleCount: pop.vehicles.count),
                        masking: masking),
                    vehicles: pop.vehicles.map { VehicleDTO($0) }, interactions: pop.interactions)
            }
            return try Response.json(Result(phone: masking.text(phone), matches: matches))
        }
    }
}
