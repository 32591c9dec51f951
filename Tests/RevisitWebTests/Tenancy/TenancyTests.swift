import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

/// A user of store A asks every route for store B's records, guessing ids. Every route the router has
/// must be listed here: a new route without an entry fails `everyRouteIsClassified`, so this test grows
/// with the product.
@Suite struct TenancyTests {
    enum Expect: Sendable {
        /// Carries no store data.
        case open
        /// Answers 404 for another store's (or another user's) record.
        case notFound
        /// The admin area: 403 for store users.
        case forbidden
        /// Lists and own-account pages: 200 or a redirect, never showing store B.
        case ownDataOnly
    }

    struct Case: Sendable {
        let expect: Expect
        /// The concrete path to request, with B's ids filled in.
        let path: @Sendable (Ids) -> String
        var form: [(String, String)] = []
        var json: String?
        var jsonFor: (@Sendable (Ids) -> String)?

        init(
            expect: Expect, path: @escaping @Sendable (Ids) -> String, form: [(String, String)] = [],
            json: String? = nil,
            jsonFor: (@Sendable (Ids) -> String)? = nil
        ) {
            self.expect = expect
            self.path = path
            self.form = form
            self.json = json
            self.jsonFor = jsonFor
        }
    }

    struct Ids: Sendable {
        let storeB: Int64
        let groupOther: Int64
        let userB: Int64
        let tokenOfB: Int64
        let customerB: Int64
        let vehicleB: Int64
        let orderB: Int64
        let importB: Int64
        let reminderB: Int64
        let templateB: Int64
        let messageB: Int64
        let bulkSendB: Int64
        let teamB: Int64
    }

    static let cases: [String: Case] = [
        "GET /": Case(expect: .open, path: { _ in "/" }),
        "GET /login": Case(expect: .open, path: { _ in "/login" }),
        "POST /login": Case(expect: .open, path: { _ in "/login" }),
        "POST /logout": Case(expect: .open, path: { _ in "/logout" }),
        "GET /language": Case(expect: .open, path: { _ in "/language?to=zh-CN" }),
        "GET /health": Case(expect: .open, path: { _ in "/health" }),
        "GET /metrics": Case(expect: .open, path: { _ in "/metrics" }),
        "GET /static/{file}": Case(expect: .open, path: { _ in "/static/app.css" }),
        "GET /api/v1/openapi.json": Case(expect: .open, path: { _ in "/api/v1/openapi.json" }),

        "GET /home": Case(expect: .ownDataOnly, path: { _ in "/home" }),
        "GET /account": Case(expect: .ownDataOnly, path: { _ in "/account" }),
        "POST /account/language": Case(
            expect: .ownDataOnly, path: { _ in "/account/language" }, form: [("language", "zh-CN")]),
        "POST /account/password": Case(
            expect: .ownDataOnly, path: { _ in "/account/password" }, form: [("current", "x")]),
        "POST /account/tokens": Case(expect: .ownDataOnly, path: { _ in "/account/tokens" }, form: [("name", "t")]),
        "POST /account/tokens/{id}/revoke": Case(expect: .notFound, path: { "/account/tokens/\($0.tokenOfB)/revoke" }),
        "POST /session/store": Case(expect: .notFound, path: { _ in "/session/store" }, form: [("store", "B")]),
        "GET /stores/{id}": Case(expect: .notFound, path: { "/stores/\($0.storeB)" }),

        "GET /admin/stores": Case(expect: .forbidden, path: { _ in "/admin/stores" }),
        "GET /admin/stores/new": Case(expect: .forbidden, path: { _ in "/admin/stores/new" }),
        "POST /admin/stores": Case(
            expect: .forbidden, path: { _ in "/admin/stores" }, form: [("code", "Z"), ("name", "z")]),
        "GET /admin/stores/{id}/edit": Case(expect: .forbidden, path: { "/admin/stores/\($0.storeB)/edit" }),
        "POST /admin/stores/{id}": Case(
            expect: .forbidden, path: { "/admin/stores/\($0.storeB)" }, form: [("code", "Z")]),
        "GET /admin/groups": Case(expect: .forbidden, path: { _ in "/admin/groups" }),
        "GET /admin/groups/new": Case(expect: .forbidden, path: { _ in "/admin/groups/new" }),
        "POST /admin/groups": Case(expect: .forbidden, path: { _ in "/admin/groups" }, form: [("code", "Z")]),
        "GET /admin/groups/{id}/edit": Case(expect: .forbidden, path: { "/admin/groups/\($0.groupOther)/edit" }),
        "POST /admin/groups/{id}": Case(
            expect: .forbidden, path: { "/admin/groups/\($0.groupOther)" }, form: [("code", "Z")]),
        "GET /admin/users": Case(expect: .forbidden, path: { _ in "/admin/users" }),
        "GET /admin/users/new": Case(expect: .forbidden, path: { _ in "/admin/users/new" }),
        "POST /admin/users": Case(expect: .forbidden, path: { _ in "/admin/users" }, form: [("login", "zz")]),
        "GET /admin/users/{id}/edit": Case(expect: .forbidden, path: { "/admin/users/\($0.userB)/edit" }),
        "POST /admin/users/{id}": Case(
            expect: .forbidden, path: { "/admin/users/\($0.userB)" }, form: [("login", "zz")]),
        "POST /admin/users/{id}/password": Case(
            expect: .forbidden, path: { "/admin/users/\($0.userB)/password" }, form: [("password", "hijacked-1")]),
        "POST /admin/users/{id}/deactivate": Case(expect: .forbidden, path: { "/admin/users/\($0.userB)/deactivate" }),
        "POST /admin/users/{id}/activate": Case(expect: .forbidden, path: { "/admin/users/\($0.userB)/activate" }),
        "GET /admin/audit": Case(expect: .forbidden, path: { _ in "/admin/audit" }),

        "GET /api/v1/me": Case(expect: .ownDataOnly, path: { _ in "/api/v1/me" }),
        "GET /api/v1/stores": Case(expect: .ownDataOnly, path: { _ in "/api/v1/stores" }),
        "POST /api/v1/stores": Case(
            expect: .forbidden, path: { _ in "/api/v1/stores" }, json: #"{"code":"Z","name":"z"}"#),
        "GET /api/v1/stores/{id}": Case(expect: .notFound, path: { "/api/v1/stores/\($0.storeB)" }),
        "PATCH /api/v1/stores/{id}": Case(
            expect: .notFound, path: { "/api/v1/stores/\($0.storeB)" }, json: #"{"name":"x"}"#),
        "GET /api/v1/stores/{id}/users": Case(expect: .notFound, path: { "/api/v1/stores/\($0.storeB)/users" }),
        "GET /api/v1/groups": Case(expect: .ownDataOnly, path: { _ in "/api/v1/groups" }),
        "POST /api/v1/groups": Case(
            expect: .forbidden, path: { _ in "/api/v1/groups" }, json: #"{"code":"Z","name":"z"}"#),
        "GET /api/v1/groups/{id}": Case(expect: .notFound, path: { "/api/v1/groups/\($0.groupOther)" }),
        "PATCH /api/v1/groups/{id}": Case(expect: .notFound, path: { "/api/v1/groups/\($0.groupOther)" }, json: "{}"),
        "GET /api/v1/users": Case(expect: .ownDataOnly, path: { _ in "/api/v1/users" }),
        "POST /api/v1/users": Case(expect: .forbidden, path: { _ in "/api/v1/users" }, json: "{}"),
        "GET /api/v1/users/{id}": Case(expect: .notFound, path: { "/api/v1/users/\($0.userB)" }),
        "PATCH /api/v1/users/{id}": Case(expect: .notFound, path: { "/api/v1/users/\($0.userB)" }, json: "{}"),
        "POST /api/v1/users/{id}/password": Case(
            expect: .notFound, path: { "/api/v1/users/\($0.userB)/password" }, json: #"{"password":"hijacked-1"}"#),
        "POST /api/v1/users/{id}/deactivate": Case(expect: .notFound, path: { "/api/v1/users/\($0.userB)/deactivate" }),
        "POST /api/v1/users/{id}/activate": Case(expect: .notFound, path: { "/api/v1/users/\($0.userB)/activate" }),
        "GET /api/v1/tokens": Case(expect: .ownDataOnly, path: { _ in "/api/v1/tokens" }),
        "POST /api/v1/tokens": Case(expect: .ownDataOnly, path: { _ in "/api/v1/tokens" }, json: #"{"name":"t"}"#),
        "DELETE /api/v1/tokens/{id}": Case(expect: .notFound, path: { "/api/v1/tokens/\($0.tokenOfB)" }),
        "GET /api/v1/audit": Case(expect: .forbidden, path: { _ in "/api/v1/audit" }),

        "GET /customers": Case(expect: .ownDataOnly, path: { _ in "/customers?q=1111" }),
        "GET /customers/new": Case(expect: .ownDataOnly, path: { _ in "/customers/new" }),
        "POST /customers": Case(expect: .ownDataOnly, path: { _ in "/customers" }, form: [("name", "甲店新客")]),
        "GET /customers/{id}": Case(expect: .notFound, path: { "/customers/\($0.customerB)" }),
        "GET /customers/{id}/edit": Case(expect: .notFound, path: { "/customers/\($0.customerB)/edit" }),
        "POST /customers/{id}": Case(expect: .notFound, path: { "/customers/\($0.customerB)" }, form: [("name", "x")]),
        "POST /customers/{id}/alert": Case(
            expect: .notFound, path: { "/customers/\($0.customerB)/alert" }, form: [("reason", "x")]),
        "POST /customers/{id}/alert/clear": Case(expect: .notFound, path: { "/customers/\($0.customerB)/alert/clear" }),
        "POST /customers/{id}/notes": Case(
            expect: .notFound, path: { "/customers/\($0.customerB)/notes" }, form: [("summary", "x")]),
        "POST /customers/{id}/reveal": Case(expect: .notFound, path: { "/customers/\($0.customerB)/reveal" }),
        "GET /vehicles/new": Case(expect: .notFound, path: { "/vehicles/new?customer=\($0.customerB)" }),
        "POST /vehicles": Case(expect: .ownDataOnly, path: { _ in "/vehicles" }, form: [("vin", "LSVAU2187N2184306")]),
        "GET /vehicles/{id}": Case(expect: .notFound, path: { "/vehicles/\($0.vehicleB)" }),
        "GET /vehicles/{id}/edit": Case(expect: .notFound, path: { "/vehicles/\($0.vehicleB)/edit" }),
        "POST /vehicles/{id}": Case(expect: .notFound, path: { "/vehicles/\($0.vehicleB)" }, form: [("vin", "x")]),
        "GET /repair-orders/{id}": Case(expect: .notFound, path: { "/repair-orders/\($0.orderB)" }),

        "GET /api/v1/customers": Case(expect: .ownDataOnly, path: { _ in "/api/v1/customers?q=1111" }),
        "POST /api/v1/customers": Case(
            expect: .notFound, path: { _ in "/api/v1/customers" }, jsonFor: { #"{"storeId":\#($0.storeB),"name":"x"}"# }
        ),
        "GET /api/v1/customers/{id}": Case(expect: .notFound, path: { "/api/v1/customers/\($0.customerB)" }),
        "PATCH /api/v1/customers/{id}": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)" }, json: #"{"name":"x","version":1}"#),
        "POST /api/v1/customers/{id}/alert": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)/alert" }, json: #"{"reason":"x"}"#),
        "DELETE /api/v1/customers/{id}/alert": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)/alert" }),
        "GET /api/v1/customers/{id}/interactions": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)/interactions" }),
        "POST /api/v1/customers/{id}/interactions": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)/interactions" }, json: #"{"summary":"x"}"#),
        "POST /api/v1/customers/{id}/reveal": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)/reveal" }),
        "GET /api/v1/vehicles": Case(expect: .ownDataOnly, path: { _ in "/api/v1/vehicles?q=99999" }),
        "POST /api/v1/vehicles": Case(
            expect: .notFound, path: { _ in "/api/v1/vehicles" },
            jsonFor: { #"{"storeId":\#($0.storeB),"vin":"LSVAU2187N2184306"}"# }),
        "GET /api/v1/vehicles/{id}": Case(expect: .notFound, path: { "/api/v1/vehicles/\($0.vehicleB)" }),
        "PATCH /api/v1/vehicles/{id}": Case(
            expect: .notFound, path: { "/api/v1/vehicles/\($0.vehicleB)" }, json: #"{"plate":"京A11111","version":1}"#),
        "GET /api/v1/repair-orders": Case(expect: .ownDataOnly, path: { _ in "/api/v1/repair-orders?q=B-RO-1" }),
        "POST /api/v1/repair-orders": Case(
            expect: .notFound, path: { _ in "/api/v1/repair-orders" },
            jsonFor: { #"{"storeId":\#($0.storeB),"orderNo":"X","type":"other","openedOn":"2024-01-01"}"# }),
        "GET /api/v1/repair-orders/{id}": Case(expect: .notFound, path: { "/api/v1/repair-orders/\($0.orderB)" }),
        "GET /customers/{id}/merge": Case(
            expect: .notFound, path: { "/customers/\($0.customerB)/merge?with=\($0.customerB)" }),
        "POST /customers/{id}/merge": Case(
            expect: .notFound, path: { "/customers/\($0.customerB)/merge" }, form: [("with", "1")]),
        "GET /stores/{id}/data-quality": Case(expect: .notFound, path: { "/stores/\($0.storeB)/data-quality" }),
        "POST /api/v1/customers/{id}/merge": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)/merge" }, json: #"{"mergedId":1}"#),
        "GET /api/v1/stores/{id}/data-quality": Case(
            expect: .notFound, path: { "/api/v1/stores/\($0.storeB)/data-quality" }),
        "GET /api/v1/lookup": Case(expect: .ownDataOnly, path: { _ in "/api/v1/lookup?phone=%2B86%20137-0000-1111" }),
        // Advisors do not import at all; others' runs are 404.
        "GET /imports": Case(expect: .ownDataOnly, path: { _ in "/imports" }),
        "POST /imports/upload": Case(expect: .forbidden, path: { _ in "/imports/upload" }),
        "GET /imports/uploads/{token}": Case(
            expect: .forbidden, path: { _ in "/imports/uploads/00000000-0000-0000-0000-000000000000" }),
        "POST /imports/uploads/{token}/start": Case(
            expect: .forbidden, path: { _ in "/imports/uploads/00000000-0000-0000-0000-000000000000/start" }),
        "GET /imports/{id}": Case(expect: .notFound, path: { "/imports/\($0.importB)" }),
        "GET /imports/{id}/errors.csv": Case(expect: .notFound, path: { "/imports/\($0.importB)/errors.csv" }),
        "POST /api/v1/imports": Case(expect: .forbidden, path: { _ in "/api/v1/imports" }),
        "GET /api/v1/imports": Case(expect: .ownDataOnly, path: { _ in "/api/v1/imports" }),
        "GET /api/v1/imports/{id}": Case(expect: .notFound, path: { "/api/v1/imports/\($0.importB)" }),
        "GET /imports/advisors": Case(expect: .forbidden, path: { _ in "/imports/advisors" }),
        "POST /imports/advisors": Case(
            expect: .forbidden, path: { _ in "/imports/advisors" }, form: [("name", "x"), ("user", "1")]),
        "GET /api/v1/imports/advisors": Case(
            expect: .forbidden, path: { "/api/v1/imports/advisors?storeId=\($0.storeB)" }),
        "POST /api/v1/imports/advisors": Case(
            expect: .forbidden, path: { _ in "/api/v1/imports/advisors" }, json: #"{"name":"x","userId":1}"#),
        "GET /customers/export": Case(expect: .forbidden, path: { _ in "/customers/export?format=csv" }),
        "GET /api/v1/customers/export": Case(expect: .forbidden, path: { _ in "/api/v1/customers/export" }),
        "GET /api/v1/repair-orders/export": Case(expect: .forbidden, path: { _ in "/api/v1/repair-orders/export" }),
        "GET /api/v1/imports/{id}/problems": Case(
            expect: .notFound, path: { "/api/v1/imports/\($0.importB)/problems" }),
        "GET /api/v1/segments/runs": Case(
            expect: .notFound, path: { "/api/v1/segments/runs?storeId=\($0.storeB)" }),
        "POST /api/v1/segments/runs": Case(
            expect: .notFound, path: { _ in "/api/v1/segments/runs" }, json: #"{"storeId":999999}"#),
        "GET /api/v1/segments/settings": Case(
            expect: .notFound, path: { "/api/v1/segments/settings?storeId=\($0.storeB)" }),
        "PUT /api/v1/segments/settings": Case(
            expect: .notFound, path: { "/api/v1/segments/settings?storeId=\($0.storeB)" }, json: "{}"),
        // Store B has a run (made below), so a 404 here is tenancy, not an empty store.
        "GET /api/v1/segments/metrics": Case(
            expect: .notFound, path: { "/api/v1/segments/metrics?storeId=\($0.storeB)" }),
        "GET /api/v1/segments/lifetime-value": Case(
            expect: .notFound, path: { "/api/v1/segments/lifetime-value?storeId=\($0.storeB)&years=3" }),
        "GET /api/v1/segments/compare": Case(
            expect: .ownDataOnly, path: { "/api/v1/segments/compare?groupId=\($0.groupOther)" }),
        "GET /stores/{id}/dashboard": Case(expect: .notFound, path: { "/stores/\($0.storeB)/dashboard" }),
        "GET /stores/{id}/dashboard/export": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/dashboard/export?table=value&format=csv" }),
        "POST /stores/{id}/segments/run": Case(expect: .notFound, path: { "/stores/\($0.storeB)/segments/run" }),
        "GET /stores/{id}/segments": Case(expect: .notFound, path: { "/stores/\($0.storeB)/segments" }),
        "POST /stores/{id}/segments/settings": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/segments/settings" }, form: [("windowMonths", "x")]),
        "GET /stores/{id}/lifetime-value": Case(expect: .notFound, path: { "/stores/\($0.storeB)/lifetime-value" }),
        "GET /groups/{id}/dashboard": Case(expect: .notFound, path: { "/groups/\($0.groupOther)/dashboard" }),
        "GET /reminders": Case(expect: .ownDataOnly, path: { _ in "/reminders" }),
        "POST /reminders/run": Case(expect: .forbidden, path: { _ in "/reminders/run" }),
        "POST /reminders/{id}/outcome": Case(
            expect: .notFound, path: { "/reminders/\($0.reminderB)/outcome" }, form: [("outcome", "contacted")]),
        "GET /api/v1/reminders": Case(expect: .ownDataOnly, path: { _ in "/api/v1/reminders" }),
        "GET /api/v1/reminders/{id}": Case(expect: .notFound, path: { "/api/v1/reminders/\($0.reminderB)" }),
        "POST /api/v1/reminders/{id}/outcome": Case(
            expect: .notFound, path: { "/api/v1/reminders/\($0.reminderB)/outcome" }, json: #"{"outcome":"contacted"}"#),
        "GET /api/v1/reminders/runs": Case(
            expect: .notFound, path: { "/api/v1/reminders/runs?storeId=\($0.storeB)" }),
        "POST /api/v1/reminders/runs": Case(
            expect: .notFound, path: { _ in "/api/v1/reminders/runs" }, json: #"{"storeId":999999}"#),
        "GET /api/v1/reminders/settings": Case(
            expect: .notFound, path: { "/api/v1/reminders/settings?storeId=\($0.storeB)" }),
        "PUT /api/v1/reminders/settings": Case(
            expect: .notFound, path: { "/api/v1/reminders/settings?storeId=\($0.storeB)" }, json: "{}"),
        "GET /stores/{id}/reminder-settings": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/reminder-settings" }),
        "POST /stores/{id}/reminder-settings": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/reminder-settings" }, form: [("maintenanceKm", "x")]),
        "GET /stores/{id}/advisors/export": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/advisors/export?table=advisors&format=csv" }),
        "GET /advisor": Case(expect: .ownDataOnly, path: { _ in "/advisor" }),
        "GET /stores/{id}/advisors": Case(expect: .notFound, path: { "/stores/\($0.storeB)/advisors" }),
        "POST /stores/{id}/advisors/assign": Case(expect: .notFound, path: { "/stores/\($0.storeB)/advisors/assign" }),
        "POST /stores/{id}/advisors/reassign": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/advisors/reassign" },
            form: [("from", "1"), ("to", "2")]),
        "POST /stores/{id}/advisors/rules": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/advisors/rules" }, form: [("onImport", "1")]),
        "GET /api/v1/advisors": Case(expect: .notFound, path: { "/api/v1/advisors?storeId=\($0.storeB)" }),
        "POST /api/v1/ownership/assign": Case(
            expect: .notFound, path: { _ in "/api/v1/ownership/assign" }, jsonFor: { #"{"storeId":\#($0.storeB)}"# }),
        "POST /api/v1/ownership/reassign": Case(
            expect: .notFound, path: { _ in "/api/v1/ownership/reassign" },
            jsonFor: { #"{"storeId":\#($0.storeB),"from":\#($0.userB),"to":[1],"preview":true}"# }),
        "GET /api/v1/ownership/settings": Case(
            expect: .notFound, path: { "/api/v1/ownership/settings?storeId=\($0.storeB)" }),
        "PUT /api/v1/ownership/settings": Case(
            expect: .notFound, path: { "/api/v1/ownership/settings?storeId=\($0.storeB)" }, json: "{}"),
        "GET /stores/{id}/teams": Case(expect: .notFound, path: { "/stores/\($0.storeB)/teams" }),
        "POST /stores/{id}/teams": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/teams" }, form: [("name", "x"), ("member", "1")]),
        "POST /teams/{id}": Case(
            expect: .notFound, path: { "/teams/\($0.teamB)" }, form: [("name", "x"), ("member", "1")]),
        "POST /teams/{id}/delete": Case(expect: .notFound, path: { "/teams/\($0.teamB)/delete" }),
        "GET /api/v1/teams": Case(expect: .notFound, path: { "/api/v1/teams?storeId=\($0.storeB)" }),
        "POST /api/v1/teams": Case(
            expect: .notFound, path: { _ in "/api/v1/teams" },
            jsonFor: { #"{"storeId":\#($0.storeB),"name":"x","memberIds":[\#($0.userB)]}"# }),
        "GET /api/v1/teams/{id}": Case(expect: .notFound, path: { "/api/v1/teams/\($0.teamB)" }),
        "PUT /api/v1/teams/{id}": Case(
            expect: .notFound, path: { "/api/v1/teams/\($0.teamB)" }, json: #"{"name":"x","memberIds":[1]}"#),
        "DELETE /api/v1/teams/{id}": Case(expect: .notFound, path: { "/api/v1/teams/\($0.teamB)" }),
        "GET /api/v1/advisors/teams": Case(expect: .notFound, path: { "/api/v1/advisors/teams?storeId=\($0.storeB)" }),
        "GET /api/v1/customers/{id}/owners": Case(
            expect: .notFound, path: { "/api/v1/customers/\($0.customerB)/owners" }),
        "GET /stores/{id}/messaging": Case(expect: .forbidden, path: { "/stores/\($0.storeB)/messaging" }),
        "POST /outbox/{id}/retry": Case(expect: .notFound, path: { "/outbox/\($0.messageB)/retry" }),
        "GET /stores/{id}/templates": Case(expect: .notFound, path: { "/stores/\($0.storeB)/templates" }),
        "POST /stores/{id}/templates": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/templates" },
            form: [("name", "x"), ("kind", "service"), ("body", "hi"), ("action", "save")]),
        "POST /templates/{id}": Case(
            expect: .notFound, path: { "/templates/\($0.templateB)" },
            form: [("name", "x"), ("kind", "service"), ("body", "hi"), ("action", "save")]),
        "POST /templates/{id}/delete": Case(expect: .notFound, path: { "/templates/\($0.templateB)/delete" }),
        "GET /stores/{id}/bulk-sends": Case(expect: .notFound, path: { "/stores/\($0.storeB)/bulk-sends" }),
        "POST /stores/{id}/bulk-sends/preview": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/bulk-sends/preview" }, form: [("template", "1")]),
        "POST /stores/{id}/bulk-sends": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/bulk-sends" }, form: [("template", "1")]),
        "GET /bulk-sends/{id}": Case(expect: .notFound, path: { "/bulk-sends/\($0.bulkSendB)" }),
        "POST /bulk-sends/{id}/approve": Case(expect: .notFound, path: { "/bulk-sends/\($0.bulkSendB)/approve" }),
        "POST /bulk-sends/{id}/cancel": Case(expect: .notFound, path: { "/bulk-sends/\($0.bulkSendB)/cancel" }),
        "GET /stores/{id}/opt-outs": Case(expect: .notFound, path: { "/stores/\($0.storeB)/opt-outs" }),
        "POST /stores/{id}/opt-outs": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/opt-outs" }, form: [("phone", "13700001111")]),
        "POST /stores/{id}/opt-outs/remove": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/opt-outs/remove" }, form: [("phone", "13700001111")]),
        "POST /stores/{id}/messaging-settings": Case(
            expect: .notFound, path: { "/stores/\($0.storeB)/messaging-settings" }, form: [("monthlyCap", "1")]),
        // Signed by the gateway, not a user's; they carry no store's data back (MessagingApiTests).
        "POST /webhooks/sms/receipt": Case(expect: .open, path: { _ in "/webhooks/sms/receipt" }),
        "POST /webhooks/sms/inbound": Case(expect: .open, path: { _ in "/webhooks/sms/inbound" }),
        "GET /api/v1/templates": Case(expect: .notFound, path: { "/api/v1/templates?storeId=\($0.storeB)" }),
        "POST /api/v1/templates": Case(
            expect: .notFound, path: { "/api/v1/templates?storeId=\($0.storeB)" },
            json: #"{"name":"x","kind":"service","text":"hi"}"#),
        "POST /api/v1/templates/preview": Case(
            expect: .notFound, path: { "/api/v1/templates/preview?storeId=\($0.storeB)" },
            json: #"{"name":"x","kind":"service","text":"{{customerName}}"}"#),
        "GET /api/v1/templates/{id}": Case(expect: .notFound, path: { "/api/v1/templates/\($0.templateB)" }),
        "PUT /api/v1/templates/{id}": Case(
            expect: .notFound, path: { "/api/v1/templates/\($0.templateB)" },
            json: #"{"name":"x","kind":"service","text":"hi"}"#),
        "DELETE /api/v1/templates/{id}": Case(expect: .notFound, path: { "/api/v1/templates/\($0.templateB)" }),
        // The store's whole outbox is for managers and marketing; an advisor sees messages on a customer's page.
        "GET /api/v1/outbox": Case(expect: .forbidden, path: { "/api/v1/outbox?storeId=\($0.storeB)" }),
        "GET /api/v1/outbox/{id}": Case(expect: .forbidden, path: { "/api/v1/outbox/\($0.messageB)" }),
        "POST /api/v1/outbox/{id}/retry": Case(expect: .notFound, path: { "/api/v1/outbox/\($0.messageB)/retry" }),
        "POST /api/v1/bulk-sends/preview": Case(
            expect: .notFound, path: { _ in "/api/v1/bulk-sends/preview" },
            jsonFor: { #"{"storeId":\#($0.storeB),"templateId":\#($0.templateB)}"# }),
        "POST /api/v1/bulk-sends": Case(
            expect: .notFound, path: { _ in "/api/v1/bulk-sends" },
            jsonFor: { #"{"storeId":\#($0.storeB),"templateId":\#($0.templateB)}"# }),
        "GET /api/v1/bulk-sends": Case(expect: .notFound, path: { "/api/v1/bulk-sends?storeId=\($0.storeB)" }),
        "GET /api/v1/bulk-sends/{id}": Case(expect: .notFound, path: { "/api/v1/bulk-sends/\($0.bulkSendB)" }),
        "POST /api/v1/bulk-sends/{id}/approve": Case(
            expect: .notFound, path: { "/api/v1/bulk-sends/\($0.bulkSendB)/approve" }),
        "POST /api/v1/bulk-sends/{id}/cancel": Case(
            expect: .notFound, path: { "/api/v1/bulk-sends/\($0.bulkSendB)/cancel" }),
        "GET /api/v1/opt-outs": Case(expect: .notFound, path: { "/api/v1/opt-outs?storeId=\($0.storeB)" }),
        "POST /api/v1/opt-outs": Case(
            expect: .notFound, path: { "/api/v1/opt-outs?storeId=\($0.storeB)" }, json: #"{"phone":"13700001111"}"#),
        "DELETE /api/v1/opt-outs/{phone}": Case(
            expect: .notFound, path: { "/api/v1/opt-outs/13700001112?storeId=\($0.storeB)" }),
        "GET /api/v1/messaging/settings": Case(
            expect: .notFound, path: { "/api/v1/messaging/settings?storeId=\($0.storeB)" }),
        "PUT /api/v1/messaging/settings": Case(
            expect: .notFound, path: { "/api/v1/messaging/settings?storeId=\($0.storeB)" }, json: "{}"),
        "GET /groups/{id}/dashboard/export": Case(
            expect: .notFound, path: { "/groups/\($0.groupOther)/dashboard/export?table=stores&format=csv" }),
    ]

    @Test func everyRouteIsClassified() async throws {
        try await TestApp.with(.sqlite) { app, _ in
            let registered = Set(app.routes.map(\.description))
            let listed = Set(Self.cases.keys)
            #expect(registered.subtracting(listed).sorted() == [], "routes missing from TenancyTests.cases")
            #expect(
                listed.subtracting(registered).sorted() == [], "TenancyTests.cases lists routes that no longer exist")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aStoreUserNeverSeesAnotherStoresRecords(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let f = app.fixture
            let otherGroup = try await app.services.identity.createGroup(
                GroupDraft(code: "G2", name: "华南集团"), scope: .system)
            let bScope = try await app.services.identity.scope(for: f.advisorB, clientAddress: "x")
            let tokenOfB = try await app.services.auth.createApiToken(
                userId: f.advisorB.id, name: "b", tokenHash: "b-token", prefix: "rvt_b", now: app.clock.now,
                scope: bScope)
            let customerB = try await app.services.customers.createCustomer(
                storeId: f.storeB.id,
                CustomerDraft(
                    name: "乙店车主",
                    phones: [CustomerPhone(number: PhoneNumber("13700001111"), kind: .mobile, primary: true)]),
                scope: bScope)
            let vehicleB = try await app.services.vehicles.createVehicle(
                storeId: f.storeB.id,
                VehicleDraft(vin: "LFV2A21K6H4012345", plate: "沪B99999", ownerCustomerId: customerB.id),
                scope: bScope)
            let orderB = try await app.services.repairOrders.createRepairOrder(
                storeId: f.storeB.id,
                RepairOrderDraft(
                    orderNo: "B-RO-1", vehicleId: vehicleB.id, customerId: customerB.id, type: .generalRepair,
                    openedOn: LocalDate("2024-01-02")!),
                scope: bScope)
            let importB = try await app.services.imports.start(
                ImportRequest(
                    storeId: f.storeB.id, kind: .customers, fileName: "乙店导入.csv", fileSHA256: "b", fileSize: 1,
                    format: .csv),
                encoding: "utf-8", scope: .system)
            _ = try await app.services.segments.run(
                storeId: f.storeB.id, asOf: LocalDate("2024-06-30")!, trigger: .cli, scope: .system)
            // B's customer last came on 2024-01-02: semi-churned by August, a win-back reminder.
            _ = try await app.services.reminders.run(
                storeId: f.storeB.id, asOf: LocalDate("2024-08-01")!, trigger: .cli, scope: .system)
            let reminderB = try #require(
                try await app.services.reminders.reminders(ReminderQuery(storeId: f.storeB.id), scope: .system).items
                    .first)
            let templateB = try await app.services.messaging.saveTemplate(
                TemplateDraft(name: "乙店模板", kind: .service, body: "{{customerName}}您好"), id: nil, storeId: f.storeB.id,
                scope: .system)
            let bulkSendB = try await app.services.messaging.createBulkSend(
                templateId: templateB.id, query: CustomerQuery(), filters: [:], storeId: f.storeB.id, scope: .system)
            let messageB = try #require(
                try await app.services.messaging.outbox(OutboxQuery(storeId: f.storeB.id), scope: .system).items.first)
            let teamB = try await app.services.teams.create(
                TeamDraft(name: "乙店小组", memberIds: [f.advisorB.id]), storeId: f.storeB.id, scope: .system)
            let ids = Ids(
                storeB: f.storeB.id, groupOther: otherGroup.id, userB: f.advisorB.id, tokenOfB: tokenOfB.id,
                customerB: customerB.id, vehicleB: vehicleB.id, orderB: orderB.id, importB: importB.id,
                reminderB: reminderB.id, templateB: templateB.id, messageB: messageB.id, bulkSendB: bulkSendB.id,
                teamB: teamB.id)
            let secrets = [
                "乙店 Bravo", "advisor-b", "华南集团", "乙店车主", "沪B99999", "13700001111", "B-RO-1", "乙店导入.csv", "乙店模板", "乙店小组",
            ]
            let token = try await ApiTests.token(for: "advisor-a", web: web)

            for (route, check) in Self.cases.sorted(by: { $0.key < $1.key }) where check.expect != .open {
                let method = String(route.split(separator: " ")[0])
                var path = check.path(ids)
                var form = check.form
                if route == "POST /session/store" { form = [("store", String(ids.storeB))] }
                let response: TestResponse
                if path.hasPrefix("/api/") {
                    response = try await web.api(
                        .init(method)!, path, token: token, json: check.jsonFor?(ids) ?? check.json)
                } else {
                    let browser = try await web.signedIn("advisor-a")
                    _ = try await browser.get("/account")
                    response = method == "GET" ? try await browser.get(path) : try await browser.post(path, form)
                    path = route
                }
                let status = response.status.code
                switch check.expect {
                case .notFound: #expect(status == 404, "\(route) answered \(status)")
                case .forbidden: #expect(status == 403, "\(route) answered \(status)")
                case .ownDataOnly: #expect([200, 201, 303, 422].contains(status), "\(route) answered \(status)")
                case .open: break
                }
                for secret in secrets {
                    #expect(!response.text.contains(secret), "\(route) shows \(secret)")
                }
            }
            // Nothing was changed on B's side by any of it.
            let b = try await app.services.identity.user(id: f.advisorB.id, scope: .system)
            #expect(b.active && b.storeIds == [f.storeB.id])
            #expect(try await app.services.auth.apiTokenUser(tokenHash: "b-token", now: app.clock.now) != nil)
            #expect(try await web.agent().login("advisor-b", Fixture.password).status == .seeOther)
            let bCustomer = try await app.services.customers.customer(id: customerB.id, scope: bScope)
            #expect(bCustomer.name == "乙店车主" && bCustomer.alert == nil && bCustomer.version == 1)
            #expect(
                try await app.services.customers.interactions(
                    customerId: customerB.id, kind: nil, limit: 10, scope: bScope
                ).isEmpty)
        }
    }
}
