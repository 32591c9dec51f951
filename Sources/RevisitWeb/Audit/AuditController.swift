import Foundation
import Hummingbird
import RevisitCore

/// The audit log for administrators, newest first, filtered by action, login, store and date range.
struct AuditController {
    let services: AppServices

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(Paths.adminAudit)) { request, context in try await self.list(request, context) }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope
        let query = request.uri.queryParameters
        let filter = try Self.filter(
            action: query.get("action"), login: query.get("login"), store: query.get("store"), from: query.get("from"),
            to: query.get("to"))
        let entries = try await services.audit.entries(filter, scope: scope)
        let stores = try await services.identity.stores(scope: scope)
        let view = AuditPage(
            rows: entries.map { entry in
                AuditPage.Row(
                    at: DisplayFormat.instant(entry.at), login: entry.login, action: entry.action,
                    entity: entry.entityId.isEmpty ? entry.entityType : "\(entry.entityType) #\(entry.entityId)",
                    store: stores.first { $0.id == entry.storeId }?.code ?? "", detail: entry.detail,
                    clientAddress: entry.clientAddress,
                    warn: entry.action == AuditAction.loginFailed.rawValue
                        || entry.action == AuditAction.loginLocked.rawValue)
            },
            actions: [Option(value: "", label: "—", selected: filter.action == nil)]
                + AuditAction.allCases.map {
                    Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == filter.action)
                },
            stores: [Option(value: "", label: "—", selected: filter.storeId == nil)]
                + stores.map { Option(value: String($0.id), label: $0.code, selected: $0.id == filter.storeId) },
            login: filter.login ?? "", from: query.get("from") ?? "", to: query.get("to") ?? "",
            empty: entries.isEmpty, limit: filter.limit)
        return services.renderer.render("admin/audit", titleKey: "admin.audit.title", view: view, context: context)
    }

    /// Dates are whole days in China Standard Time; `to` is inclusive.
    static func filter(
        action: String?, login: String?, store: String?, from: String?, to: String?
    ) throws -> AuditFilter {
        func day(_ text: String?, field: String) throws -> Date? {
            guard let text, !text.isEmpty else { return nil }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
            formatter.dateFormat = "yyyy-MM-dd"
            guard let date = formatter.date(from: text) else {
                throw RevisitError(.validation, code: .invalidValue, field: field, args: ["value": text])
            }
            return date
        }
        var storeId: Int64?
        if let store, !store.isEmpty {
            guard let id = Int64(store) else {
                throw RevisitError(.validation, code: .invalidValue, field: "store", args: ["value": store])
            }
            storeId = id
        }
        return AuditFilter(
            action: action.flatMap { $0.isEmpty ? nil : $0 }, login: login.flatMap { $0.isEmpty ? nil : $0 },
            storeId: storeId, from: try day(from, field: "from"),
            until: try day(to, field: "to").map { $0.addingTimeInterval(24 * 3600) })
    }
}

struct AuditPage {
    struct Row {
        let at: String
        let login: String
        let action: String
        let entity: String
        let store: String
        let detail: String
        let clientAddress: String
        let warn: Bool
    }
    let rows: [Row]
    let actions: [Option]
    let stores: [Option]
    let login: String
    let from: String
    let to: String
    let empty: Bool
    let limit: Int
}
