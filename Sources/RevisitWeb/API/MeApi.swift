import Foundation
import Hummingbird
import RevisitCore

/// Who the token belongs to, and the stores it can read.
struct MeApi {
    let services: AppServices

    static let operations = [
        ApiOperation("get", "/api/v1/me", "The token's user and visible stores", tag: "account", response: "Me")
    ]

    struct Me: Codable {
        let user: User
        let storeIds: [Int64]
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/me") { _, context in
            let auth = try context.requireAuth()
            return try Response.json(Me(user: auth.user, storeIds: auth.scope.sortedStoreIds))
        }
    }
}
