import Foundation
import Hummingbird
import RevisitCore

/// Vehicles over the API, with their ownership history.
struct VehiclesApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/vehicles", "Search and list vehicles by plate or VIN (or their ends)", tag: "vehicles",
            response: "VehiclePage", query: ["q", "store", "flag", "limit", "cursor"]),
        ApiOperation(
            "post", "/api/v1/vehicles", "Add a vehicle (a wrong VIN check digit is refused with the expected one)",
            tag: "vehicles", request: .json(schema: "VehicleInput"), response: "Vehicle", status: 201),
        ApiOperation(
            "get", "/api/v1/vehicles/{id}", "One vehicle with its owners", tag: "vehicles", response: "Vehicle"),
        ApiOperation(
            "patch", "/api/v1/vehicles/{id}", "Change a vehicle; a new owner starts a new ownership period",
            tag: "vehicles", request: .json(schema: "VehicleInput"), response: "Vehicle"),
    ]

    struct VehicleInput: Decodable {
        var storeId: Int64?
        var vin: String?
        var plate: String?
        var brand: String?
        var model: String?
        var trim: String?
        var colour: String?
        var deliveryDate: String?
        var boughtHere: Bool?
        var mileageKm: Int?
        var mileageReadOn: String?
        var insuranceCompany: String?
        var insuranceExpiry: String?
        var inspectionDue: String?
        var warrantyEndDate: String?
        var warrantyEndKm: Int?
        var ownerCustomerId: Int64?
        var version: Int64?

        func apply(to base: VehicleDraft) throws(RevisitError) -> VehicleDraft {
            var draft = base
            if let vin { draft.vin = vin }
            if let plate { draft.plate = plate }
            if let brand { draft.brand = brand }
            if let model { draft.model = model }
            if let trim { draft.trim = trim }
            if let colour { draft.colour = colour }
            if let deliveryDate { draft.deliveryDate = try Parse.date(deliveryDate, field: "deliveryDate") }
            if let boughtHere { draft.boughtHere = boughtHere }
            if let mileageKm { draft.mileageKm = mileageKm }
            if let mileageReadOn { draft.mileageReadOn = try Parse.date(mileageReadOn, field: "mileageReadOn") }
            if let insuranceCompany { draft.insuranceCompany = insuranceCompany }
            if let insuranceExpiry { draft.insuranceExpiry = try Parse.date(insuranceExpiry, field: "insuranceExpiry") }
            if let inspectionDue { draft.inspectionDue = try Parse.date(inspectionDue, field: "inspectionDue") }
            if let warrantyEndDate { draft.warrantyEndDate = try Parse.date(warrantyEndDate, field: "warrantyEndDate") }
            if let warrantyEndKm { draft.warrantyEndKm = warrantyEndKm }
            if let ownerCustomerId { draft.ownerCustomerId = ownerCustomerId == 0 ? nil : ownerCustomerId }
            return draft
        }
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/vehicles") { request, context in
            let auth = try context.requireAuth()
            let get = { (name: String) in request.uri.queryParameters.get(name) }
            var query = VehicleQuery(q: String((get("q") ?? "").prefix(40)))
            if let store = get("store"), !store.isEmpty {
                guard let id = Int64(store) else {
                    throw RevisitError(.validation, code: .invalidValue, field: "store")
                }
                query.storeId = id
            }
            query.flag = try Parse.enumValue(get("flag"), DataFlag.self, field: "flag")
            query.limit = min(max(try Parse.int(get("limit"), field: "limit") ?? 50, 1), 200)
            query.cursor = get("cursor").flatMap { $0.isEmpty ? nil : $0 }
            let page = try await services.vehicles.vehicles(query, scope: auth.scope)
            return try Response.json(PageDTO(items: page.items.map { VehicleDTO($0) }, nextCursor: page.nextCursor))
        }
        router.post("/vehicles") { request, context in
            let auth = try context.requireAuth()
            guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
            let input = try await request.json(VehicleInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            let draft = try input.apply(to: VehicleDraft(vin: "")).validated()
            let vehicle = try await services.vehicles.createVehicle(storeId: storeId, draft, scope: auth.scope)
            return try Response.json(VehicleDTO(vehicle), status: .created)
        }
        router.get("/vehicles/:id") { _, context in
            let auth = try context.requireAuth()
            let vehicle = try await services.vehicles.vehicle(id: try context.parameters.requireID(), scope: auth.scope)
            let owners = try await services.vehicles.owners(vehicleId: vehicle.id, scope: auth.scope)
            return try Response.json(VehicleDTO(vehicle, owners: owners))
        }
        router.patch("/vehicles/:id") { request, context in
            let auth = try context.requireAuth()
            let vehicle = try await services.vehicles.vehicle(id: try context.parameters.requireID(), scope: auth.scope)
            guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
            let input = try await request.json(VehicleInput.self, context: context)
            guard let version = input.version else {
                throw RevisitError(.validation, code: .required, field: "version")
            }
            var draft = try input.apply(to: VehicleDraft(vehicle))
            // A VIN already on file may be imperfect (imports keep them); only a changed VIN must be valid.
            draft = draft.vin == vehicle.vin ? try draft.normalized() : try draft.validated()
            let today = LocalDate(services.now(), timeZone: try await storeTimeZone(vehicle.storeId, auth))
            let updated = try await services.vehicles.updateVehicle(
                id: vehicle.id, draft, expectedVersion: version, today: today, scope: auth.scope)
            return try Response.json(VehicleDTO(updated))
        }
    }

    func storeTimeZone(_ storeId: Int64, _ auth: Authenticated) async throws -> TimeZone {
        let store = try await services.identity.store(id: storeId, scope: auth.scope)
        return store.zone
    }
}
