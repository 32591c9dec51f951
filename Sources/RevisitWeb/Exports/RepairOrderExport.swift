import Foundation
import Hummingbird
import RevisitCore

/// The repair-order list as a file, with the list's own filters. Money in yuan with two decimals.
struct RepairOrderExport {
    let services: AppServices

    func response(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        try ExportResponse.require(auth)
        var query = try RepairOrdersApi.query { request.uri.queryParameters.get($0) }
        query.limit = 200
        query.cursor = nil
        let format = try ExportFormat(request.uri.queryParameters.get("format"))
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let types = Dictionary(uniqueKeysWithValues: RepairOrderType.allCases.map { ($0, t($0.labelKey)) })
        let header = [
            t("import.field.orderNo"), t("import.field.openedOn"), t("import.field.closedOn"),
            t("import.field.orderType"), t("import.field.customerNo"), t("import.field.vin"),
            t("import.field.mileageIn"), t("import.field.laborAmount"), t("import.field.partsAmount"),
            t("import.field.totalAmount"), t("import.field.costAmount"), t("import.field.advisor"),
        ]
        let store = services.repairOrders
        let scope = auth.scope
        let base = query
        @Sendable func yuan(_ fen: Int64) -> ExportResponse.Cell { .number(Double(fen) / 100) }
        return try await ExportResponse.make(
            format: format, name: "repair-orders", sheet: t("export.repair_orders"), header: header,
            services: services, auth: auth,
            detail:
                "repair-orders store=\(query.storeId.map(String.init) ?? "all") from=\(query.from?.description ?? "") to=\(query.until?.description ?? "")"
        ) { cursor in
            var page = base
            page.cursor = cursor
            let result = try await store.repairOrders(page, scope: scope)
            let rows: [[ExportResponse.Cell]] = result.items.map { order in
                [
                    .text(order.orderNo), .text(order.openedOn.description), .text(order.closedOn?.description ?? ""),
                    .text(types[order.type] ?? order.type.rawValue), .text(order.customerNo ?? ""),
                    .text(order.vin ?? ""), order.mileageIn.map { .integer(Int64($0)) } ?? .text(""),
                    yuan(order.laborFen), yuan(order.partsFen), yuan(order.totalFen), yuan(order.costFen),
                    .text(order.advisorName),
                ]
            }
            return (rows, result.nextCursor)
        }
    }
}
