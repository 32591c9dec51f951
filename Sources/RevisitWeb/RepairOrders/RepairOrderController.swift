import Foundation
import Hummingbird
import RevisitCore

/// The repair-order page with its lines. Orders come from the DMS (or the API); there is no edit form.
struct RepairOrderController {
    let services: AppServices

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/repair-orders/:id") { _, context in try await self.show(context) }
    }

    func show(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let order = try await services.repairOrders.repairOrder(
            id: try context.parameters.requireID(), scope: auth.scope)
        let customer = try await order.customerId.asyncMap {
            try await services.customers.customer(id: $0, scope: auth.scope)
        }
        let vehicle = try await order.vehicleId.asyncMap {
            try await services.vehicles.vehicle(id: $0, scope: auth.scope)
        }
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let advisor = try await order.advisorId.asyncMap {
            try await services.identity.user(id: $0, scope: auth.scope).name
        }
        let view = RepairOrderPage(
            orderNo: order.orderNo, type: t(order.type.labelKey), openedOn: order.openedOn.description,
            closedOn: order.closedOn?.description ?? "", days: order.daysInShop.map(String.init) ?? "",
            mileageIn: order.mileageIn.map { "\($0) km" } ?? "", advisor: advisor ?? order.advisorName,
            customerName: customer?.name ?? "", customerHref: customer.map { "/customers/\($0.id)" },
            alert: customer?.alert?.reason, plate: vehicle?.plate ?? "",
            vehicleHref: vehicle.map { "/vehicles/\($0.id)" },
            labor: Money.yuan(order.laborFen), parts: Money.yuan(order.partsFen), total: Money.yuan(order.totalFen),
            cost: Money.yuan(order.costFen), grossProfit: Money.yuan(order.grossProfitFen),
            internalComeback: order.internalComeback, externalComeback: order.externalComeback,
            lines: order.lines.map {
                RepairOrderPage.Line(
                    lineNo: $0.lineNo, kind: t("line_kind.\($0.kind.rawValue)"), code: $0.code, name: $0.name,
                    quantity: $0.quantity == $0.quantity.rounded() ? String(Int($0.quantity)) : String($0.quantity),
                    amount: Money.yuan($0.amountFen), cost: Money.yuan($0.costFen))
            })
        return services.renderer.render(
            "repair_orders/show", titleKey: "repair_order.title", view: view, context: context)
    }
}

struct RepairOrderPage {
    struct Line {
        let lineNo: Int
        let kind: String
        let code: String
        let name: String
        let quantity: String
        let amount: String
        let cost: String
    }
    let orderNo: String
    let type: String
    let openedOn: String
    let closedOn: String
    let days: String
    let mileageIn: String
    let advisor: String
    let customerName: String
    let customerHref: String?
    let alert: String?
    let plate: String
    let vehicleHref: String?
    let labor: String
    let parts: String
    let total: String
    let cost: String
    let grossProfit: String
    let internalComeback: Bool
    let externalComeback: Bool
    let lines: [Line]
}
