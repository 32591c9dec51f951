import Foundation
import Hummingbird
import RevisitCore

/// The customer list as a file, with the list's own search and filters; phone numbers masked per role.
struct CustomerExport {
    let services: AppServices

    func response(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        try ExportResponse.require(auth)
        let params = request.uri.queryParameters
        var query = try CustomerQuery.parse { params.get($0) }
        if query.storeId == nil, !auth.scope.isAdmin, auth.user.role != .groupAnalyst {
            query.storeId = auth.currentStore?.id
        }
        query.limit = 200
        query.cursor = nil
        let format = try ExportFormat(params.get("format"))
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let codes = Dictionary(
            uniqueKeysWithValues: try await services.identity.stores(scope: auth.scope).map { ($0.id, $0.code) })
        let owners = try await OwnerChoices.load(
            storeId: query.storeId, auth: auth, services: services, language: context.language)
        let masking = PhoneMasking(role: auth.user.role)
        let typeLabels = Dictionary(
            uniqueKeysWithValues: CustomerType.allCases.map { ($0, t("customer_type.\($0.rawValue)")) })
        let header = [
            t("field.customerNo"), t("field.name"), t("field.type"), t("field.phone"), t("field.store"),
            t("field.owner"), t("field.tags"), t("customers.completeness"), t("export.alert"),
        ]
        let store = services.customers
        let scope = auth.scope
        let base = query
        return try await ExportResponse.make(
            format: format, name: "customers", sheet: t("nav.customers"), header: header, services: services,
            auth: auth, detail: "customers q=\(query.q) store=\(query.storeId.map(String.init) ?? "all")"
        ) { cursor in
            var page = base
            page.cursor = cursor
            let result = try await store.customers(page, scope: scope)
            let rows: [[ExportResponse.Cell]] = result.items.map { item in
                [
                    .text(item.customerNo ?? ""), .text(item.name), .text(typeLabels[item.type] ?? item.type.rawValue),
                    .text(item.primaryPhone.map(masking.text) ?? ""), .text(codes[item.storeId] ?? ""),
                    .text(owners.name(advisorId: item.ownerId, teamId: item.ownerTeamId)),
                    .text(item.tags.joined(separator: " ")),
                    .integer(Int64(item.completeness)), .text(item.alertReason ?? ""),
                ]
            }
            return (rows, result.nextCursor)
        }
    }
}
