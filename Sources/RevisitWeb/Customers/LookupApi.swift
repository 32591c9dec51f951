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
            let customers = try await services.customers.lookup(phone: phone, scope: auth.scope)
            let masking = PhoneMasking(role: auth.user.role)
            let codes = customers.isEmpty ? [:] : try await CustomersApi(services: services).storeCodes(auth)
            let ids = customers.map(\.id)
            let vehiclesByOwner = try await services.vehicles.vehicles(ownedByAny: ids, scope: auth.scope)
            let interactionsByCustomer = try await services.customers.recentInteractions(
                customerIds: ids, perCustomer: 5, scope: auth.scope)
            var matches: [Match] = []
            for customer in customers {
                let vehicles = vehiclesByOwner[customer.id] ?? []
                let interactions = interactionsByCustomer[customer.id] ?? []
                matches.append(
                    Match(
                        customer: CustomerDTO(
                            customer, storeCode: codes[customer.storeId] ?? "",
                            completeness: Completeness.score(customer, vehicleCount: vehicles.count), masking: masking),
                        vehicles: vehicles.map { VehicleDTO($0) }, interactions: interactions))
            }
            return try Response.json(Result(phone: masking.text(phone), matches: matches))
        }
    }
}
