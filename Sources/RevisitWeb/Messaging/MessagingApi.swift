import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Messaging over the API (DOMAIN §6): templates, bulk sends with their preview and approval, the outbox,
/// the opt-out list and the store's rules.
struct MessagingApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "get", "/api/v1/templates", "The store's message templates", tag: "messaging",
            response: "[MessageTemplate]",
            query: ["storeId"]),
        ApiOperation(
            "post", "/api/v1/templates", "Create a template; an unknown {{variable}} is refused", tag: "messaging",
            request: .json(schema: "MessageTemplateInput"), response: "MessageTemplate", status: 201,
            query: ["storeId"]),
        ApiOperation(
            "post", "/api/v1/templates/preview",
            "A template's text for a real customer (the first with a mobile, or customerId)", tag: "messaging",
            request: .json(schema: "MessageTemplateInput"), response: "TemplatePreview", query: ["storeId"]),
        ApiOperation("get", "/api/v1/templates/{id}", "One template", tag: "messaging", response: "MessageTemplate"),
        ApiOperation(
            "put", "/api/v1/templates/{id}", "Change a template", tag: "messaging",
            request: .json(schema: "MessageTemplateInput"), response: "MessageTemplate"),
        ApiOperation("delete", "/api/v1/templates/{id}", "Delete a template", tag: "messaging", response: "Empty"),
        ApiOperation(
            "get", "/api/v1/outbox", "Messages newest first, with status and idempotencyKey", tag: "messaging",
            response: "OutboxPage",
            query: ["storeId", "status", "phone", "customerId", "bulkSendId", "limit", "cursor"]),
        ApiOperation("get", "/api/v1/outbox/{id}", "One message", tag: "messaging", response: "OutboxMessage"),
        ApiOperation(
            "post", "/api/v1/outbox/{id}/retry", "Queue a failed or unknown message again", tag: "messaging",
            response: "OutboxMessage"),
        ApiOperation(
            "post", "/api/v1/bulk-sends/preview",
            "Who a send would reach, why the others drop out, a sample text and its SMS count", tag: "messaging",
            request: .json(schema: "BulkSendInput"), response: "BulkSendPreview"),
        ApiOperation(
            "post", "/api/v1/bulk-sends", "Send a template to a customer list (queued, or waiting for approval)",
            tag: "messaging", request: .json(schema: "BulkSendInput"), response: "BulkSend", status: 201),
        ApiOperation(
            "get", "/api/v1/bulk-sends", "The store's bulk sends, newest first", tag: "messaging",
            response: "[BulkSend]", query: ["storeId"]),
        ApiOperation(
            "get", "/api/v1/bulk-sends/{id}", "One bulk send and its progress", tag: "messaging", response: "BulkSend"),
        ApiOperation(
            "post", "/api/v1/bulk-sends/{id}/approve", "Let a waiting send go (managers)", tag: "messaging",
            response: "BulkSend"),
        ApiOperation(
            "post", "/api/v1/bulk-sends/{id}/cancel", "Cancel a waiting send (managers)", tag: "messaging",
            response: "BulkSend"),
        ApiOperation(
            "get", "/api/v1/opt-outs", "Phones that said no to marketing", tag: "messaging", response: "[OptOut]",
            query: ["storeId"]),
        ApiOperation(
            "post", "/api/v1/opt-outs", "Record an opt-out given another way", tag: "messaging",
            request: .json(schema: "OptOutInput"), response: "Empty", status: 201, query: ["storeId"]),
        ApiOperation(
            "delete", "/api/v1/opt-outs/{phone}", "Take an opt-out back (managers; the customer consented again)",
            tag: "messaging", response: "Empty", query: ["storeId"]),
        ApiOperation(
            "get", "/api/v1/messaging/settings", "The store's messaging rules", tag: "messaging",
            response: "MessagingSettings", query: ["storeId"]),
        ApiOperation(
            "put", "/api/v1/messaging/settings", "Change the store's messaging rules (managers)", tag: "messaging",
            request: .json(schema: "MessagingSettings"), response: "MessagingSettings", query: ["storeId"]),
    ]

    struct TemplateInput: Decodable {
        var name: String
        var kind: String
        var text: String
        var language: String?
        var purpose: String?
        var customerId: Int64?

        func draft() throws -> TemplateDraft {
            guard let kind = MessageKind(rawValue: kind) else {
                throw RevisitError(
                    .validation, code: .invalidValue, field: "kind",
                    args: ["value": kind, "allowed": "marketing, service"])
            }
            let language = try language.map { text in
                guard let language = Language(loose: text) else {
                    throw RevisitError(.validation, code: .invalidValue, field: "language", args: ["value": text])
                }
                return language
            }
            return TemplateDraft(
                name: name, kind: kind, language: language ?? .default, purpose: purpose, body: text)
        }
    }

    struct TemplatePreview: Encodable {
        let customer: String
        let text: String
        let segments: Int
        let characters: Int
    }

    struct BulkInput: Decodable {
        var storeId: Int64?
        var templateId: Int64
        var filters: [String: String]?
    }

    struct OptOutInput: Decodable {
        var phone: String
        var note: String?
    }

    struct Page: Encodable {
        let items: [OutboxMessageDTO]
        let nextCursor: String?
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        let messaging = services.messaging
        router.get("/templates") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            return try Response.json(
                try await messaging.templates(storeId: storeId, scope: auth.scope).map(TemplateDTO.init))
        }
        router.post("/templates/preview") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let input = try await request.json(TemplateInput.self, context: context)
            let preview = try await messaging.previewTemplate(
                try input.draft(), storeId: storeId, customerId: input.customerId, scope: auth.scope)
            return try Response.json(
                TemplatePreview(
                    customer: preview.customer, text: preview.text, segments: preview.segments.parts,
                    characters: preview.segments.characters))
        }
        router.post("/templates") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let input = try await request.json(TemplateInput.self, context: context)
            let saved = try await messaging.saveTemplate(
                try input.draft(), id: nil, storeId: storeId, scope: auth.scope)
            return try Response.json(TemplateDTO(saved), status: .created)
        }
        router.get("/templates/:id") { _, context in
            let auth = try context.requireAuth()
            return try Response.json(
                TemplateDTO(try await messaging.template(id: try context.parameters.requireID(), scope: auth.scope)))
        }
        router.put("/templates/:id") { request, context in
            let auth = try context.requireAuth()
            let existing = try await messaging.template(id: try context.parameters.requireID(), scope: auth.scope)
            let input = try await request.json(TemplateInput.self, context: context)
            let saved = try await messaging.saveTemplate(
                try input.draft(), id: existing.id, storeId: existing.storeId, scope: auth.scope)
            return try Response.json(TemplateDTO(saved))
        }
        router.delete("/templates/:id") { _, context in
            let auth = try context.requireAuth()
            try await messaging.deleteTemplate(id: try context.parameters.requireID(), scope: auth.scope)
            return try Response.json([String: String]())
        }
        router.get("/outbox") { request, context in
            let auth = try context.requireAuth()
            try Self.requireOutboxReader(auth)
            let query = try Self.outboxQuery { request.uri.queryParameters.get($0) }
            let page = try await messaging.outbox(query, scope: auth.scope)
            let masking = PhoneMasking(role: auth.user.role)
            return try Response.json(
                Page(items: page.items.map { OutboxMessageDTO($0, masking: masking) }, nextCursor: page.nextCursor))
        }
        router.get("/outbox/:id") { _, context in
            let auth = try context.requireAuth()
            try Self.requireOutboxReader(auth)
            let message = try await messaging.message(id: try context.parameters.requireID(), scope: auth.scope)
            return try Response.json(OutboxMessageDTO(message, masking: PhoneMasking(role: auth.user.role)))
        }
        router.post("/outbox/:id/retry") { _, context in
            let auth = try context.requireAuth()
            let message = try await messaging.retry(messageId: try context.parameters.requireID(), scope: auth.scope)
            return try Response.json(OutboxMessageDTO(message, masking: PhoneMasking(role: auth.user.role)))
        }
        router.post("/bulk-sends/preview") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(BulkInput.self, context: context)
            let storeId = try input.storeId.map { try auth.storeId(named: String($0)) } ?? auth.defaultStoreId()
            let preview = try await messaging.previewBulkSend(
                templateId: input.templateId, query: try CustomerQueryFilters.query(input.filters ?? [:]),
                storeId: storeId, scope: auth.scope)
            return try Response.json(BulkPreviewDTO(preview))
        }
        router.post("/bulk-sends") { request, context in
            let auth = try context.requireAuth()
            let input = try await request.json(BulkInput.self, context: context)
            let storeId = try input.storeId.map { try auth.storeId(named: String($0)) } ?? auth.defaultStoreId()
            let filters = input.filters ?? [:]
            let send = try await messaging.createBulkSend(
                templateId: input.templateId, query: try CustomerQueryFilters.query(filters), filters: filters,
                storeId: storeId, scope: auth.scope)
            return try Response.json(BulkSendDTO(send), status: .created)
        }
        router.get("/bulk-sends") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            return try Response.json(
                try await messaging.bulkSends(storeId: storeId, scope: auth.scope).map(BulkSendDTO.init))
        }
        router.get("/bulk-sends/:id") { _, context in
            let auth = try context.requireAuth()
            return try Response.json(
                BulkSendDTO(try await messaging.bulkSend(id: try context.parameters.requireID(), scope: auth.scope)))
        }
        for (path, approve) in [("approve", true), ("cancel", false)] {
            router.post("/bulk-sends/:id/\(path)") { _, context in
                let auth = try context.requireAuth()
                let send = try await messaging.decideBulkSend(
                    id: try context.parameters.requireID(), approve: approve, scope: auth.scope)
                return try Response.json(BulkSendDTO(send))
            }
        }
        router.get("/opt-outs") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let masking = PhoneMasking(role: auth.user.role)
            return try Response.json(
                try await messaging.optOuts(storeId: storeId, scope: auth.scope).map {
                    OptOutDTO($0, masking: masking)
                })
        }
        router.post("/opt-outs") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let input = try await request.json(OptOutInput.self, context: context)
            try await messaging.addOptOut(
                phone: input.phone, note: input.note ?? "", storeId: storeId, scope: auth.scope)
            return try Response.json([String: String](), status: .created)
        }
        router.delete("/opt-outs/:phone") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let phone = context.parameters.get("phone") ?? ""
            try await messaging.removeOptOut(phone: phone, storeId: storeId, scope: auth.scope)
            return try Response.json([String: String]())
        }
        router.get("/messaging/settings") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            return try Response.json(
                MessagingSettingsDTO(try await messaging.settings(storeId: storeId, scope: auth.scope)))
        }
        router.put("/messaging/settings") { request, context in
            let auth = try context.requireAuth()
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let input = try await request.json(MessagingSettingsDTO.self, context: context)
            let current = try await messaging.settings(storeId: storeId, scope: auth.scope)
            try await messaging.saveSettings(try input.applied(to: current), storeId: storeId, scope: auth.scope)
            return try Response.json(
                MessagingSettingsDTO(try await messaging.settings(storeId: storeId, scope: auth.scope)))
        }
    }

    /// Advisors and CSRs see a customer's messages on the customer's page, not the store's whole outbox.
    static func requireOutboxReader(_ auth: Authenticated) throws {
        guard auth.user.role.canManageMessaging || auth.user.role == .groupAnalyst else {
            throw RevisitError(.forbidden, code: .forbidden)
        }
    }

    static func outboxQuery(_ get: (String) -> String?) throws -> OutboxQuery {
        var query = OutboxQuery()
        query.storeId = try Parse.int(get("storeId"), field: "storeId").map(Int64.init)
        query.status = try Parse.enumValue(get("status"), OutboxStatus.self, field: "status")
        query.phone = get("phone").flatMap { $0.isEmpty ? nil : $0 }
        query.customerId = try Parse.int(get("customerId"), field: "customerId").map(Int64.init)
        query.bulkSendId = try Parse.int(get("bulkSendId"), field: "bulkSendId").map(Int64.init)
        query.limit = min(max(try Parse.int(get("limit"), field: "limit") ?? 50, 1), 500)
        query.before = try Parse.int(get("cursor"), field: "cursor").map(Int64.init)
        return query
    }
}
