import Foundation
import Hummingbird
import RevisitCore

/// The audit log for administrators, with the same filters as its page.
struct AuditApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/audit", "Audit log entries, newest first", tag: "audit", response: "[AuditEntry]",
            adminOnly: true, query: ["action", "login", "store", "from", "to"])
    ]

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/audit") { request, context in
            let query = request.uri.queryParameters
            let filter = try AuditController.filter(
                action: query.get("action"), login: query.get("login"), store: query.get("store"),
                from: query.get("from"), to: query.get("to"))
            return try Response.json(try await services.audit.entries(filter, scope: try context.scope))
        }
    }
}
