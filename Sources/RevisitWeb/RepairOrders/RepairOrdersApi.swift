import Foundation
import Hummingbird
import RevisitCore

/// Repair orders over the API (the DMS stays their system of record; this is for integrations and tests).
struct RepairOrdersApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/repair-orders", "List repair orders, newest first", tag: "repair-orders",
            response: "RepairOrderPage",
            query: ["q", "store", "customer", "vehicle", "type", "from", "to", "limit", "cursor"]),
        ApiOperation(
            "post", "/api/v1/repair-orders", "Record a repair order with its lines", tag: "repair-orders",
            request: .json(schema: "RepairOrderInput"), response: "RepairOrder", status: 201),
        ApiOperation(
            "get", "/api/v1/repair-orders/{id}", "One repair order with its lines", tag: "repair-orders",
            response: "RepairOrder"),
        ApiOperation(
            "get", "/api/v1/repair-orders/export", "The list as CSV (UTF-8 with BOM) or XLSX; audited",
            tag: "repair-orders", response: "File",
            query: ["format", "q", "store", "customer", "vehicle", "type", "from", "to"]),
    ]

    struct LineInput: Decodable {
        var kind: String
        var code: String?
        var name: String
        var quantity: Double?
        var amountFen: Int64
        var costFen: Int64?
    }

    struct RepairOrderInput: Decodable {
        var storeId: Int64?
        var orderNo: String?
        var vehicleId: Int64?
        var customerId: Int64?
        var advisorId: Int64?
        var advisorName: String?
        var type: String?
        var openedOn: String?
        var closedOn: String?
        var mileageIn: Int?
        var internalComeback: Bool?
        var externalComeback: Bool?
        var totalFen: Int64?
        var costFen: Int64?
        var lines: [LineInput]?
    }

    /// The list's search and filters from query parameters (shared by the list and its export).
    static func query(_ get: (String) -> String?) throws -> RepairOrderQuery {
        var query = RepairOrderQuery(q: String((get("q") ?? "").prefix(40)))
        func id(_ name: String) throws -> Int64? {
            guard let text = get(name), !text.isEmpty else { return nil }
            guard let value = Int64(text) else { throw RevisitError(.validation, code: .invalidValue, field: name) }
            return value
        }
        query.storeId = try id("store")
        query.customerId = try id("customer")
        query.vehicleId = try id("vehicle")
        query.type = try Parse.enumValue(get("type"), RepairOrderType.self, field: "type")
        query.from = try Parse.date(get("from"), field: "from")
        query.until = try Parse.date(get("to"), field: "to")
        query.limit = min(max(try Parse.int(get("limit"), field: "limit") ?? 50, 1), 200)
        query.cursor = get("cursor").flatMap { $0.isEmpty ? nil : $0 }
        return query
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/repair-orders") { request, context in
            let auth = try context.requireAuth()
            let query = try Self.query { request.uri.queryParameters.get($0) }
            let page = try await services.repairOrders.repairOrders(query, scope: auth.scope)
            return try Response.json(PageDTO(items: page.items.map(RepairOrderDTO.init), nextCursor: page.nextCursor))
        }
        router.get("/repair-orders/export") { request, context in
            try await RepairOrderExport(services: services).response(request, context)
        }
        router.post("/repair-orders") { request, context in
            let auth = try context.requireAuth()
            guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
            let input = try await request.json(RepairOrderInput.self, context: context)
            let storeId = try input.storeId ?? auth.defaultStoreId()
            guard let type = try Parse.enumValue(input.type, RepairOrderType.self, field: "type") else {
                throw RevisitError(.validation, code: .required, field: "type")
            }
            guard let openedOn = try Parse.date(input.openedOn, field: "openedOn") else {
                throw RevisitError(.validation, code: .required, field: "openedOn")
            }
            var lines: [RepairOrderLine] = []
            for (index, line) in (input.lines ?? []).enumerated() {
                guard let kind = try Parse.enumValue(line.kind, LineKind.self, field: "lines[\(index)].kind") else {
                    throw RevisitError(.validation, code: .required, field: "lines[\(index)].kind")
                }
                lines.append(
                    RepairOrderLine(
                        lineNo: index + 1, kind: kind, code: line.code ?? "", name: line.name,
                        quantity: line.quantity ?? 1,
                        amountFen: line.amountFen, costFen: line.costFen ?? 0))
            }
            let draft = RepairOrderDraft(
                orderNo: input.orderNo ?? "", vehicleId: input.vehicleId, customerId: input.customerId,
                advisorId: input.advisorId, advisorName: input.advisorName ?? "", type: type, openedOn: openedOn,
                closedOn: try Parse.date(input.closedOn, field: "closedOn"), mileageIn: input.mileageIn,
                internalComeback: input.internalComeback ?? false, externalComeback: input.externalComeback ?? false,
                lines: lines, totalFen: input.totalFen, costFen: input.costFen)
            let order = try await services.repairOrders.createRepairOrder(storeId: storeId, draft, scope: auth.scope)
            return try Response.json(RepairOrderDTO(order), status: .created)
        }
        router.get("/repair-orders/:id") { _, context in
            let auth = try context.requireAuth()
            return try Response.json(
                RepairOrderDTO(
                    try await services.repairOrders.repairOrder(
                        id: try context.parameters.requireID(), scope: auth.scope)))
        }
    }
}
