import Foundation
import Hummingbird
import RevisitCore

/// The vehicle page (details, ownership history, repair orders) and its form.
struct VehicleController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/vehicles/new") { request, context in
            let customerId = Int64(request.uri.queryParameters.get("customer") ?? "")
            return try await self.form(
                context, draft: VehicleDraft(vin: "", ownerCustomerId: customerId), id: nil, version: nil)
        }
        router.post("/vehicles") { _, context in try await self.save(context, id: nil) }
        router.get("/vehicles/:id") { _, context in try await self.show(context) }
        router.get("/vehicles/:id/edit") { _, context in
            let auth = try context.requireAuth()
            let vehicle = try await services.vehicles.vehicle(id: try context.parameters.requireID(), scope: auth.scope)
            return try await self.form(context, draft: VehicleDraft(vehicle), id: vehicle.id, version: vehicle.version)
        }
        router.post("/vehicles/:id") { _, context in
            try await self.save(context, id: try context.parameters.requireID())
        }
    }

    func show(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let vehicle = try await services.vehicles.vehicle(id: try context.parameters.requireID(), scope: auth.scope)
        let owners = try await services.vehicles.owners(vehicleId: vehicle.id, scope: auth.scope)
        let orders = try await services.repairOrders.repairOrders(
            RepairOrderQuery(vehicleId: vehicle.id, limit: 50), scope: auth.scope)
        let owner = try await vehicle.ownerCustomerId.asyncMap {
            try await services.customers.customer(id: $0, scope: auth.scope)
        }
        let store = try await services.identity.store(id: vehicle.storeId, scope: auth.scope)
        let today = LocalDate(services.now(), timeZone: TimeZone(identifier: store.timeZone) ?? .current)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let view = VehiclePage(
            plate: vehicle.plate, vin: vehicle.vin,
            vinProblem: VIN.problem(vehicle.vin).map { problem in
                if case .checkDigit(let expected) = problem {
                    return services.localizer.text(
                        "vehicle.vin_check_expected", context.language, ["expected": String(expected)])
                }
                return t("flag.vin")
            },
            plateFlagged: !vehicle.plateValid,
            model: [vehicle.brand, vehicle.model, vehicle.trim].filter { !$0.isEmpty }.joined(separator: " "),
            colour: vehicle.colour, deliveryDate: vehicle.deliveryDate?.description ?? "",
            boughtHere: vehicle.boughtHere,
            mileage: vehicle.mileageKm.map { "\($0) km" + (vehicle.mileageReadOn.map { " (\($0))" } ?? "") } ?? "",
            insurance: [vehicle.insuranceCompany, vehicle.insuranceExpiry?.description ?? ""].filter { !$0.isEmpty }
                .joined(separator: " · "),
            inspectionDue: vehicle.inspectionDue?.description ?? "",
            warranty: [vehicle.warrantyEndDate?.description, vehicle.warrantyEndKm.map { "\($0) km" }].compactMap { $0 }
                .joined(separator: " / "),
            inWarranty: vehicle.inWarranty(on: today),
            ownerName: owner?.name ?? "", ownerHref: owner.map { "/customers/\($0.id)" },
            alert: owner?.alert?.reason,
            owners: owners.map {
                VehiclePage.OwnerRow(
                    name: $0.customerName, href: "/customers/\($0.customerId)", from: $0.from?.description ?? "",
                    until: $0.until?.description ?? t("vehicle.current_owner"))
            },
            orders: orders.items.map {
                VehiclePage.OrderRow(
                    href: "/repair-orders/\($0.id)", orderNo: $0.orderNo, openedOn: $0.openedOn.description,
                    type: t($0.type.labelKey), mileage: $0.mileageIn.map { "\($0) km" } ?? "",
                    total: Money.yuan($0.totalFen))
            },
            editHref: auth.user.role.canEditCustomers ? "/vehicles/\(vehicle.id)/edit" : nil)
        return services.renderer.render("vehicles/show", titleKey: "vehicle.title", view: view, context: context)
    }

    func save(_ context: AppRequestContext, id: Int64?) async throws -> Response {
        let auth = try context.requireAuth()
        let existing = try await id.asyncMap { try await services.vehicles.vehicle(id: $0, scope: auth.scope) }
        guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
        let form = context.form
        var draft = VehicleDraft(vin: form["vin"])
        do {
            draft = VehicleDraft(
                vin: form["vin"], plate: form["plate"], brand: form["brand"], model: form["model"], trim: form["trim"],
                colour: form["colour"], deliveryDate: try Parse.date(form["deliveryDate"], field: "deliveryDate"),
                boughtHere: form.has("boughtHere"), mileageKm: try Parse.int(form["mileageKm"], field: "mileageKm"),
                mileageReadOn: try Parse.date(form["mileageReadOn"], field: "mileageReadOn"),
                insuranceCompany: form["insuranceCompany"],
                insuranceExpiry: try Parse.date(form["insuranceExpiry"], field: "insuranceExpiry"),
                inspectionDue: try Parse.date(form["inspectionDue"], field: "inspectionDue"),
                warrantyEndDate: try Parse.date(form["warrantyEndDate"], field: "warrantyEndDate"),
                warrantyEndKm: try Parse.int(form["warrantyEndKm"], field: "warrantyEndKm"),
                ownerCustomerId: Int64(form["owner"]))
            let vehicle: Vehicle
            if let existing {
                let store = try await services.identity.store(id: existing.storeId, scope: auth.scope)
                let today = LocalDate(services.now(), timeZone: TimeZone(identifier: store.timeZone) ?? .current)
                let checked = draft.vin == existing.vin ? try draft.normalized() : try draft.validated()
                vehicle = try await services.vehicles.updateVehicle(
                    id: existing.id, checked, expectedVersion: Int64(form["version"]) ?? -1, today: today,
                    scope: auth.scope)
            } else {
                guard let store = auth.currentStore else { throw RevisitError(.forbidden, code: .forbidden) }
                vehicle = try await services.vehicles.createVehicle(
                    storeId: store.id, try draft.validated(), scope: auth.scope)
            }
            return Response.seeOther("/vehicles/\(vehicle.id)", flash: "flash.vehicle_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await self.form(context, draft: draft, id: id, version: Int64(form["version"]), error: error)
        }
    }

    func form(
        _ context: AppRequestContext, draft: VehicleDraft, id: Int64?, version: Int64?, error: RevisitError? = nil
    ) async throws -> Response {
        let auth = try context.requireAuth()
        guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
        let owner = try await draft.ownerCustomerId.asyncMap {
            try await services.customers.customer(id: $0, scope: auth.scope)
        }
        let view = VehicleFormPage(
            action: id.map { "/vehicles/\($0)" } ?? "/vehicles",
            cancelHref: id.map { "/vehicles/\($0)" } ?? owner.map { "/customers/\($0.id)" } ?? "/customers",
            csrf: auth.session?.csrfToken ?? "", version: version,
            error: error.map { services.localizer.message(for: $0, context.language) }, errorField: error?.field,
            vin: draft.vin, plate: draft.plate, brand: draft.brand, model: draft.model, trim: draft.trim,
            colour: draft.colour, deliveryDate: draft.deliveryDate?.description ?? "", boughtHere: draft.boughtHere,
            mileageKm: draft.mileageKm.map(String.init) ?? "", mileageReadOn: draft.mileageReadOn?.description ?? "",
            insuranceCompany: draft.insuranceCompany, insuranceExpiry: draft.insuranceExpiry?.description ?? "",
            inspectionDue: draft.inspectionDue?.description ?? "",
            warrantyEndDate: draft.warrantyEndDate?.description ?? "",
            warrantyEndKm: draft.warrantyEndKm.map(String.init) ?? "",
            ownerId: draft.ownerCustomerId.map(String.init) ?? "",
            ownerName: owner?.name ?? "")
        return services.renderer.render(
            "vehicles/form", titleKey: id == nil ? "vehicle.new" : "vehicle.edit", view: view, context: context,
            status: error.map(ErrorMiddleware.status(for:)) ?? .ok)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

struct VehiclePage {
    struct OwnerRow {
        let name: String
        let href: String
        let from: String
        let until: String
    }
    struct OrderRow {
        let href: String
        let orderNo: String
        let openedOn: String
        let type: String
        let mileage: String
        let total: String
    }
    let plate: String
    let vin: String
    let vinProblem: String?
    let plateFlagged: Bool
    let model: String
    let colour: String
    let deliveryDate: String
    let boughtHere: Bool
    let mileage: String
    let insurance: String
    let inspectionDue: String
    let warranty: String
    let inWarranty: Bool
    let ownerName: String
    let ownerHref: String?
    let alert: String?
    let owners: [OwnerRow]
    let orders: [OrderRow]
    let editHref: String?
}

struct VehicleFormPage {
    let action: String
    let cancelHref: String
    let csrf: String
    let version: Int64?
    let error: String?
    let errorField: String?
    let vin: String
    let plate: String
    let brand: String
    let model: String
    let trim: String
    let colour: String
    let deliveryDate: String
    let boughtHere: Bool
    let mileageKm: String
    let mileageReadOn: String
    let insuranceCompany: String
    let insuranceExpiry: String
    let inspectionDue: String
    let warrantyEndDate: String
    let warrantyEndKm: String
    let ownerId: String
    let ownerName: String
}
