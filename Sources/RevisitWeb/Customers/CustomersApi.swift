import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Customers over the API: list and search with a cursor, read, create, update (with the version read),
/// the alert flag, the timeline, and revealing full numbers.
struct CustomersApi {
    let services: AppServices

    static let listQuery = [
        "q", "store", "owner", "tag", "type", "consentSms", "consentCallback", "alert", "flag", "valueClass",
        "quadrant", "churnStage", "sort", "limit", "cursor",
    ]

    static let operations = [
        ApiOperation(
            "get", "/api/v1/customers", "Search and list customers (keyset pages)", tag: "customers",
            response: "CustomerPage", query: listQuery),
        ApiOperation(
            "get", "/api/v1/customers/export",
            "The list (same search and filters) as CSV (UTF-8 with BOM) or XLSX; phones masked per role; audited",
            tag: "customers", response: "File", query: ["format"] + listQuery.filter { $0 != "limit" && $0 != "cursor" }
        ),
        ApiOperation(
            "post", "/api/v1/customers", "Create a customer", tag: "customers", request: .json(schema: "CustomerInput"),
            response: "Customer", status: 201),
        ApiOperation("get", "/api/v1/customers/{id}", "One customer", tag: "customers", response: "Customer"),
        ApiOperation(
            "patch", "/api/v1/customers/{id}", "Change a customer; send the version you read (409 when stale)",
            tag: "customers", request: .json(schema: "CustomerInput"), response: "Customer"),
        ApiOperation(
            "post", "/api/v1/customers/{id}/alert", "Set the 'handle with care' flag", tag: "customers",
            request: .json(schema: "AlertInput"), response: "Customer"),
        ApiOperation(
            "delete", "/api/v1/customers/{id}/alert", "Clear the flag (managers and customer service)",
            tag: "customers",
            response: "Customer"),
        ApiOperation(
            "get", "/api/v1/customers/{id}/interactions", "The customer's timeline, newest first", tag: "customers",
            response: "[Interaction]", query: ["kind", "limit"]),
        ApiOperation(
            "post", "/api/v1/customers/{id}/interactions", "Add a note or a logged contact to the timeline",
            tag: "customers", request: .json(schema: "InteractionInput"), response: "Empty", status: 204),
        ApiOperation(
            "post", "/api/v1/customers/{id}/reveal", "The customer with full phone numbers (audited)", tag: "customers",
            response: "Customer"),
    ]

    struct AlertInput: Decodable { var reason: String? }
    struct InteractionInput: Decodable {
        var kind: String?
        var summary: String?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/customers") { request, context in
            let auth = try context.requireAuth()
            let query = try CustomerQuery.parse { request.uri.queryParameters.get($0) }
            let page = try await services.customers.customers(query, scope: auth.scope)
            let codes = try await storeCodes(auth)
            let masking = PhoneMasking(role: auth.user.role)
            let segments = try await services.segments.segments(customerIds: page.items.map(\.id), scope: auth.scope)
            return try Response.json(
                PageDTO(
                    items: page.items.map {
                        CustomerListItemDTO(
                            $0, storeCode: codes[$0.storeId] ?? "", masking: masking, segments: segments[$0.id])
                    },
                    nextCursor: page.nextCursor))
        }
        router.get("/customers/export") { request, context in
            try await CustomerExport(services: services).response(request, context)
        }
        router.post("/customers") { request, context in
            let auth = try context.requireAuth()
            try requireEditor(auth)
            let input = try await request.json(CustomerInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            let draft = try input.apply(to: CustomerDraft(name: "")).validated()
            let customer = try await services.customers.createCustomer(storeId: storeId, draft, scope: auth.scope)
            return try await json(customer, auth: auth, status: .created)
        }
        router.get("/customers/:id") { _, context in
            let auth = try context.requireAuth()
            let customer = try await services.customers.customer(
                id: try context.parameters.requireID(), scope: auth.scope)
            return try await json(customer, auth: auth)
        }
        router.patch("/customers/:id") { request, context in
            let auth = try context.requireAuth()
            let current = try await services.customers.customer(
                id: try context.parameters.requireID(), scope: auth.scope)
            try requireEditor(auth)
            let input = try await request.json(CustomerInput.self, context: context)
            guard let version = input.version else {
                throw RevisitError(.validation, code: .required, field: "version")
            }
            let draft = try input.apply(to: CustomerDraft(current)).validated()
            let updated = try await services.customers.updateCustomer(
                id: current.id, draft, expectedVersion: version, scope: auth.scope)
            return try await json(updated, auth: auth)
        }
        router.post("/customers/:id/alert") { request, context in
            let auth = try context.requireAuth()
            let id = try context.parameters.requireID()
            _ = try await services.customers.customer(id: id, scope: auth.scope)
            try requireEditor(auth)
            let input = try await request.json(AlertInput.self, context: context)
            let customer = try await services.customers.setAlert(
                customerId: id, reason: input.reason ?? "", scope: auth.scope)
            return try await json(customer, auth: auth)
        }
        router.delete("/customers/:id/alert") { _, context in
            let auth = try context.requireAuth()
            let id = try context.parameters.requireID()
            _ = try await services.customers.customer(id: id, scope: auth.scope)
            guard auth.user.role.canClearAlerts else { throw RevisitError(.forbidden, code: .forbidden) }
            let customer = try await services.customers.setAlert(customerId: id, reason: nil, scope: auth.scope)
            return try await json(customer, auth: auth)
        }
        router.get("/customers/:id/interactions") { request, context in
            let auth = try context.requireAuth()
            let kind = try Parse.enumValue(request.uri.queryParameters.get("kind"), InteractionKind.self, field: "kind")
            let limit = try Parse.int(request.uri.queryParameters.get("limit"), field: "limit") ?? 50
            return try Response.json(
                try await services.customers.interactions(
                    customerId: try context.parameters.requireID(), kind: kind, limit: limit, scope: auth.scope))
        }
        router.post("/customers/:id/interactions") { request, context in
            let auth = try context.requireAuth()
            let id = try context.parameters.requireID()
            _ = try await services.customers.customer(id: id, scope: auth.scope)
            let input = try await request.json(InteractionInput.self, context: context)
            let kind = try Parse.enumValue(input.kind, InteractionKind.self, field: "kind") ?? .note
            guard [.call, .sms, .visit, .note].contains(kind) else {
                throw RevisitError(.validation, code: .invalidValue, field: "kind", args: ["value": kind.rawValue])
            }
            try await services.customers.addInteraction(
                customerId: id, kind: kind, summary: input.summary ?? "", scope: auth.scope)
            return Response(status: .noContent)
        }
        router.post("/customers/:id/reveal") { _, context in
            let auth = try context.requireAuth()
            let customer = try await services.customers.customer(
                id: try context.parameters.requireID(), scope: auth.scope)
            guard auth.user.role.phoneAccess != .masked else { throw RevisitError(.forbidden, code: .forbidden) }
            try await services.customers.recordReveal(customerId: customer.id, scope: auth.scope)
            return try await json(customer, auth: auth, revealed: true)
        }
    }

    func json(
        _ customer: Customer, auth: Authenticated, revealed: Bool = false, status: HTTPResponse.Status = .ok
    )
        async throws -> Response
    {
        let vehicles = try await services.vehicles.vehicles(ownedBy: customer.id, scope: auth.scope)
        let codes = try await storeCodes(auth)
        let segments = try await services.segments.segments(
            customerId: customer.id, storeId: customer.storeId, scope: auth.scope)
        return try Response.json(
            CustomerDTO(
                customer, storeCode: codes[customer.storeId] ?? "",
                completeness: Completeness.score(customer, vehicleCount: vehicles.count),
                masking: PhoneMasking(role: auth.user.role, revealed: revealed), segments: segments),
            status: status)
    }

    func storeCodes(_ auth: Authenticated) async throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try await services.identity.stores(scope: auth.scope).map { ($0.id, $0.code) })
    }

    func requireEditor(_ auth: Authenticated) throws {
        guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
    }

    /// Store users with one store need not name it.
}
