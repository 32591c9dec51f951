import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The messaging pages (DOMAIN §6): the outbox with search and retry, templates with a preview on a real
/// customer, bulk sends with their preview, approval and results, the opt-out list and the store's rules.
struct MessagingController {
    let services: AppServices
    let cookies: CookieFactory

    var messaging: SQLMessagingStore { services.messaging }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores/:id/messaging") { request, context in try await outbox(request, context) }
        router.post("/outbox/:id/retry") { _, context in
            let auth = try context.requireAuth()
            let message = try await messaging.retry(messageId: try context.parameters.requireID(), scope: auth.scope)
            return Response.seeOther(
                "/stores/\(message.storeId)/messaging", flash: "flash.message_retried", cookies: cookies)
        }
        router.get("/stores/:id/templates") { request, context in
            let store = try await store(context)
            let edit = request.uri.queryParameters.get("edit").flatMap(Int64.init)
            let auth = try context.requireAuth()
            var existing: MessageTemplate?
            if let edit { existing = try await messaging.template(id: edit, scope: auth.scope) }
            return try await templates(store, context, editing: existing, draft: nil, error: nil, preview: nil)
        }
        router.post("/stores/:id/templates") { _, context in
            try await saveTemplate(try await store(context), context, id: nil)
        }
        router.post("/templates/:id") { _, context in
            let auth = try context.requireAuth()
            let template = try await messaging.template(id: try context.parameters.requireID(), scope: auth.scope)
            let store = try await services.identity.store(id: template.storeId, scope: auth.scope)
            return try await saveTemplate(store, context, id: template.id)
        }
        router.post("/templates/:id/delete") { _, context in
            let auth = try context.requireAuth()
            let template = try await messaging.template(id: try context.parameters.requireID(), scope: auth.scope)
            try await messaging.deleteTemplate(id: template.id, scope: auth.scope)
            return Response.seeOther(
                "/stores/\(template.storeId)/templates", flash: "flash.template_deleted", cookies: cookies)
        }
        router.get("/stores/:id/bulk-sends") { request, context in
            try await bulkSends(try await store(context), context, filters: Self.filters(request), error: nil)
        }
        router.post("/stores/:id/bulk-sends/preview") { _, context in
            try await previewBulk(try await store(context), context)
        }
        router.post("/stores/:id/bulk-sends") { _, context in
            let store = try await store(context)
            let auth = try context.requireAuth()
            let filters = Self.filters(context.form)
            let send = try await messaging.createBulkSend(
                templateId: try Self.templateId(context.form), query: try CustomerQueryFilters.query(filters),
                filters: filters, storeId: store.id, scope: auth.scope)
            return Response.seeOther(
                "/bulk-sends/\(send.id)",
                flash: send.status == .queued ? "flash.bulk_queued" : "flash.bulk_waiting", cookies: cookies)
        }
        router.get("/bulk-sends/:id") { _, context in try await bulkSend(context) }
        for (path, approve) in [("approve", true), ("cancel", false)] {
            router.post("/bulk-sends/:id/\(path)") { _, context in
                let auth = try context.requireAuth()
                let send = try await messaging.decideBulkSend(
                    id: try context.parameters.requireID(), approve: approve, scope: auth.scope)
                return Response.seeOther("/bulk-sends/\(send.id)", cookies: cookies)
            }
        }
        router.get("/stores/:id/opt-outs") { _, context in
            try await optOuts(try await store(context), context, error: nil)
        }
        router.post("/stores/:id/opt-outs") { _, context in
            let store = try await store(context)
            let auth = try context.requireAuth()
            do {
                try await messaging.addOptOut(
                    phone: context.form["phone"], note: context.form["note"], storeId: store.id, scope: auth.scope)
            } catch let error as RevisitError where error.kind == .validation {
                return try await optOuts(
                    store, context, error: services.localizer.message(for: error, context.language))
            }
            return Response.seeOther("/stores/\(store.id)/opt-outs", flash: "flash.opt_out_added", cookies: cookies)
        }
        router.post("/stores/:id/opt-outs/remove") { _, context in
            let store = try await store(context)
            let auth = try context.requireAuth()
            try await messaging.removeOptOut(phone: context.form["phone"], storeId: store.id, scope: auth.scope)
            return Response.seeOther("/stores/\(store.id)/opt-outs", flash: "flash.opt_out_removed", cookies: cookies)
        }
        router.post("/stores/:id/messaging-settings") { _, context in
            let store = try await store(context)
            let auth = try context.requireAuth()
            let form = context.form
            do {
                let input = Self.settingsInput(form)
                let current = try await messaging.settings(storeId: store.id, scope: auth.scope)
                try await messaging.saveSettings(try input.applied(to: current), storeId: store.id, scope: auth.scope)
            } catch let error as RevisitError where error.kind == .validation {
                return try await optOuts(
                    store, context, error: services.localizer.message(for: error, context.language))
            }
            return Response.seeOther(
                "/stores/\(store.id)/opt-outs", flash: "flash.messaging_settings_saved", cookies: cookies)
        }
    }

    /// The rules form as the API's document; a number that does not read is refused by the store's check.
    static func settingsInput(_ form: FormData) -> MessagingSettingsDTO {
        var input = MessagingSettingsDTO(MessagingSettings())
        input.quietStart = form["quietStart"]
        input.quietEnd = form["quietEnd"]
        input.monthlyCap = Int(form["monthlyCap"].trimmingCharacters(in: .whitespaces)) ?? -1
        input.approvalThreshold = Int(form["approvalThreshold"].trimmingCharacters(in: .whitespaces)) ?? -1
        let separators: Set<Character> = [",", "，", " "]
        input.optOutKeywords = form["keywords"].split(whereSeparator: { separators.contains($0) }).map(String.init)
        input.groupWideOptOut = form["groupWide"] == "1"
        return input
    }

    func store(_ context: AppRequestContext) async throws -> Store {
        let auth = try context.requireAuth()
        return try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
    }

    func translator(_ context: AppRequestContext) -> @Sendable (String) -> String {
        let localizer = services.localizer
        let language = context.language
        return { localizer.text($0, language) }
    }

    // MARK: Outbox

    func outbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        try MessagingApi.requireOutboxReader(auth)
        let store = try await store(context)
        let t = translator(context)
        var query = try MessagingApi.outboxQuery { request.uri.queryParameters.get($0) }
        query.storeId = store.id
        let page = try await messaging.outbox(query, scope: auth.scope)
        let counts = try await messaging.outboxCounts(storeId: store.id, scope: auth.scope)
        let masking = PhoneMasking(role: auth.user.role)
        let base = "/stores/\(store.id)/messaging"
        var next: String?
        if let cursor = page.nextCursor {
            next = base + "?cursor=\(cursor)" + (query.status.map { "&status=\($0.rawValue)" } ?? "")
        }
        let view = OutboxPage(
            storeName: "\(store.code) \(store.name)",
            tabs: MessagingTabs(storeId: store.id, current: "outbox", t: t).tabs,
            counts: OutboxStatus.allCases.compactMap { status in
                counts[status].map {
                    OutboxPage.Count(
                        label: OutboxPage.status(status, t), count: $0, href: base + "?status=\(status.rawValue)")
                }
            },
            statuses: [Option(value: "", label: "—", selected: query.status == nil)]
                + OutboxStatus.allCases.map {
                    Option(value: $0.rawValue, label: OutboxPage.status($0, t), selected: $0 == query.status)
                },
            phone: query.phone ?? "",
            rows: page.items.map {
                OutboxPage.row(
                    $0, masking: masking, zone: store.zone, canRetry: auth.user.role.canManageMessaging, t: t)
            },
            empty: page.items.isEmpty, nextHref: next, canRetry: auth.user.role.canManageMessaging,
            csrf: auth.session?.csrfToken ?? "")
        return services.renderer.render("messaging/outbox", titleKey: "msg.outbox_title", view: view, context: context)
    }

    // MARK: Templates

    func templates(
        _ store: Store, _ context: AppRequestContext, editing: MessageTemplate?, draft: TemplateDraft?, error: String?,
        preview: (customer: String, text: String, segments: SMSSegments)?
    ) async throws -> Response {
        let auth = try context.requireAuth()
        let t = translator(context)
        let list = try await messaging.templates(storeId: store.id, scope: auth.scope)
        let shown =
            draft
            ?? editing.map {
                TemplateDraft(
                    name: $0.name, kind: $0.kind, language: $0.language, purpose: $0.purpose, body: $0.body)
            } ?? TemplateDraft(name: "", kind: .marketing, body: "")
        let view = TemplatesPage(
            storeName: "\(store.code) \(store.name)",
            tabs: MessagingTabs(storeId: store.id, current: "templates", t: t).tabs,
            rows: list.map {
                TemplatesPage.Row(
                    id: $0.id, name: $0.name, kind: t("msg.kind.\($0.kind.rawValue)"),
                    purpose: $0.purpose.map { t("reminder.type.\($0.dropFirst("reminder.".count))") } ?? "",
                    text: MessageText.compose(body: $0.body, kind: $0.kind, language: $0.language),
                    href: "/stores/\(store.id)/templates?edit=\($0.id)")
            },
            empty: list.isEmpty, canEdit: auth.user.role.canManageMessaging, csrf: auth.session?.csrfToken ?? "",
            action: editing.map { "/templates/\($0.id)" } ?? "/stores/\(store.id)/templates", editing: editing != nil,
            deleteAction: editing.map { "/templates/\($0.id)/delete" }, name: shown.name, body: shown.body,
            kinds: MessageKind.allCases.map {
                Option(value: $0.rawValue, label: t("msg.kind.\($0.rawValue)"), selected: $0 == shown.kind)
            },
            languages: Language.allCases.map {
                Option(value: $0.rawValue, label: $0 == .zhCN ? "中文" : "English", selected: $0 == shown.language)
            },
            purposes: [Option(value: "", label: t("msg.purpose_bulk"), selected: shown.purpose == nil)]
                + ReminderType.allCases.map {
                    let value = MessagePurpose.reminder($0)
                    return Option(
                        value: value, label: t("reminder.type.\($0.rawValue)"), selected: shown.purpose == value)
                },
            variables: TemplateVariable.allCases.map { "{{\($0.rawValue)}}" }.joined(separator: " "), error: error,
            previewCustomer: preview?.customer, previewText: preview?.text, previewParts: preview?.segments.parts ?? 0,
            previewCharacters: preview?.segments.characters ?? 0)
        return services.renderer.render(
            "messaging/templates", titleKey: "msg.templates_title", view: view, context: context,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func saveTemplate(_ store: Store, _ context: AppRequestContext, id: Int64?) async throws -> Response {
        let auth = try context.requireAuth()
        let form = context.form
        let draft = TemplateDraft(
            name: form["name"], kind: MessageKind(rawValue: form["kind"]) ?? .marketing,
            language: Language(rawValue: form["language"]) ?? .default,
            purpose: form["purpose"].isEmpty ? nil : form["purpose"], body: form["body"])
        var editing: MessageTemplate?
        if let id { editing = try await messaging.template(id: id, scope: auth.scope) }
        do {
            if form["action"] == "preview" {
                let preview = try await messaging.previewTemplate(
                    draft, storeId: store.id, customerId: nil, scope: auth.scope)
                return try await templates(store, context, editing: editing, draft: draft, error: nil, preview: preview)
            }
            _ = try await messaging.saveTemplate(draft, id: id, storeId: store.id, scope: auth.scope)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await templates(
                store, context, editing: editing, draft: draft,
                error: services.localizer.message(for: error, context.language), preview: nil)
        }
        return Response.seeOther("/stores/\(store.id)/templates", flash: "flash.template_saved", cookies: cookies)
    }

    // MARK: Bulk sends

    static let filterNames: [(String, [String])] = [
        ("churnStage", ChurnStage.allCases.map(\.rawValue)), ("valueClass", ValueClass.allCases.map(\.rawValue)),
        ("quadrant", Quadrant.allCases.map(\.rawValue)), ("type", CustomerType.allCases.map(\.rawValue)),
        ("consentSms", ["1", "0"]),
    ]

    static func filters(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for name in CustomerQueryFilters.names {
            if let value = request.uri.queryParameters.get(name), !value.isEmpty { out[name] = value }
        }
        return out
    }

    static func filters(_ form: FormData) -> [String: String] {
        var out: [String: String] = [:]
        for name in CustomerQueryFilters.names where !form[name].isEmpty { out[name] = form[name] }
        return out
    }

    static func templateId(_ form: FormData) throws -> Int64 {
        guard let id = Int64(form["template"]) else {
            throw RevisitError(.validation, code: .required, field: "template")
        }
        return id
    }

    func filterLabel(_ name: String, _ value: String, _ t: (String) -> String) -> String {
        switch name {
        case "churnStage": t("segment.stages.\(value)")
        case "valueClass": t("segment.value.\(value)")
        case "quadrant": t("segment.quadrant.\(value)")
        case "type": t("customer_type.\(value)")
        case "consentSms": t(value == "1" ? "msg.consent_yes" : "msg.consent_no")
        default: value
        }
    }

    func filtersText(_ filters: [String: String], _ t: (String) -> String) -> String {
        if filters.isEmpty { return t("msg.all_customers") }
        var parts: [String] = []
        for (name, value) in filters.sorted(by: { $0.key < $1.key }) {
            parts.append(t("msg.filter." + name) + "：" + filterLabel(name, value, t))
        }
        return parts.joined(separator: "，")
    }

    func bulkSends(
        _ store: Store, _ context: AppRequestContext, filters: [String: String], error: String?
    ) async throws -> Response {
        let auth = try context.requireAuth()
        let t = translator(context)
        let sends = try await messaging.bulkSends(storeId: store.id, scope: auth.scope)
        let templates = try await messaging.templates(storeId: store.id, scope: auth.scope).filter { $0.purpose == nil }
        let view = BulkSendsPage(
            storeName: "\(store.code) \(store.name)",
            tabs: MessagingTabs(storeId: store.id, current: "bulk", t: t).tabs,
            rows: sends.map {
                BulkSendsPage.Row(
                    id: $0.id, href: "/bulk-sends/\($0.id)",
                    created: DisplayFormat.instant($0.createdAt, timeZone: store.timeZone), template: $0.templateName,
                    status: t("msg.bulk_status.\($0.status.rawValue)"), recipients: $0.preview.recipients,
                    candidates: $0.preview.candidates,
                    sent: ($0.progress["submitted"] ?? 0) + ($0.progress["delivered"] ?? 0), by: $0.createdBy)
            },
            empty: sends.isEmpty, canSend: auth.user.role.canManageMessaging, csrf: auth.session?.csrfToken ?? "",
            previewAction: "/stores/\(store.id)/bulk-sends/preview",
            templates: templates.map {
                Option(value: String($0.id), label: "\($0.name)（\(t("msg.kind.\($0.kind.rawValue)"))）", selected: false)
            },
            filters: Self.filterNames.map { name, values in
                BulkSendsPage.Filter(
                    name: name, label: t("msg.filter.\(name)"),
                    options: [Option(value: "", label: "—", selected: filters[name] == nil)]
                        + values.map {
                            Option(value: $0, label: filterLabel(name, $0, t), selected: filters[name] == $0)
                        })
            }, tag: filters["tag"] ?? "", noTemplates: templates.isEmpty, error: error)
        return services.renderer.render(
            "messaging/bulk_sends", titleKey: "msg.bulk_title", view: view, context: context,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func previewBulk(_ store: Store, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let t = translator(context)
        let filters = Self.filters(context.form)
        let templateId: Int64
        let preview: BulkSendPreview
        do {
            templateId = try Self.templateId(context.form)
            preview = try await messaging.previewBulkSend(
                templateId: templateId, query: try CustomerQueryFilters.query(filters), storeId: store.id,
                scope: auth.scope)
        } catch let error as RevisitError where error.kind == .validation {
            return try await bulkSends(
                store, context, filters: filters, error: services.localizer.message(for: error, context.language))
        }
        let template = try await messaging.template(id: templateId, scope: auth.scope)
        let view = BulkPreviewPage(
            storeName: "\(store.code) \(store.name)",
            tabs: MessagingTabs(storeId: store.id, current: "bulk", t: t).tabs,
            template: template.name, filtersText: filtersText(filters, t), candidates: preview.candidates,
            recipients: preview.recipients, held: preview.held,
            excluded: RefusalReason.allCases.map {
                BulkPreviewPage.Excluded(label: t("msg.refusal.\($0.rawValue)"), count: preview.excluded[$0] ?? 0)
            },
            sampleCustomer: preview.sampleCustomer, sampleText: preview.sampleText, parts: preview.segments.parts,
            characters: preview.segments.characters, totalParts: preview.totalParts,
            needsApproval: preview.needsApproval && !auth.user.role.canApproveBulkSends,
            approvalNote: preview.needsApproval ? t("msg.needs_approval") : nil,
            action: "/stores/\(store.id)/bulk-sends", backHref: "/stores/\(store.id)/bulk-sends",
            csrf: auth.session?.csrfToken ?? "",
            hidden: [Option(value: String(templateId), label: "template", selected: false)]
                + filters.sorted { $0.key < $1.key }.map { Option(value: $0.value, label: $0.key, selected: false) },
            canSend: preview.recipients > 0)
        return services.renderer.render(
            "messaging/bulk_preview", titleKey: "msg.bulk_preview_title", view: view, context: context)
    }

    func bulkSend(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let t = translator(context)
        let send = try await messaging.bulkSend(id: try context.parameters.requireID(), scope: auth.scope)
        let store = try await services.identity.store(id: send.storeId, scope: auth.scope)
        let base = "/stores/\(store.id)/messaging?bulkSendId=\(send.id)"
        let view = BulkSendPage(
            storeName: "\(store.code) \(store.name)",
            tabs: MessagingTabs(storeId: store.id, current: "bulk", t: t).tabs,
            id: send.id, template: send.templateName, status: t("msg.bulk_status.\(send.status.rawValue)"),
            waiting: send.status == .awaitingApproval,
            canDecide: send.status == .awaitingApproval && auth.user.role.canApproveBulkSends,
            approveAction: "/bulk-sends/\(send.id)/approve", cancelAction: "/bulk-sends/\(send.id)/cancel",
            csrf: auth.session?.csrfToken ?? "", filtersText: filtersText(send.filters, t),
            candidates: send.preview.candidates, recipients: send.preview.recipients,
            excluded: RefusalReason.allCases.map {
                BulkPreviewPage.Excluded(label: t("msg.refusal.\($0.rawValue)"), count: send.preview.excluded[$0] ?? 0)
            }, sampleText: send.preview.sampleText,
            progress: OutboxStatus.allCases.compactMap { status in
                send.progress[status.rawValue].map {
                    BulkSendPage.Progress(
                        label: OutboxPage.status(status, t), count: $0, href: base + "&status=\(status.rawValue)")
                }
            }, createdBy: send.createdBy, created: DisplayFormat.instant(send.createdAt, timeZone: store.timeZone),
            decided: send.decidedBy.map { by in
                "\(by) " + (send.decidedAt.map { DisplayFormat.instant($0, timeZone: store.timeZone) } ?? "")
            })
        return services.renderer.render("messaging/bulk_send", titleKey: "msg.bulk_title", view: view, context: context)
    }

    // MARK: Opt-outs and rules

    func optOuts(_ store: Store, _ context: AppRequestContext, error: String?) async throws -> Response {
        let auth = try context.requireAuth()
        let t = translator(context)
        let list = try await messaging.optOuts(storeId: store.id, scope: auth.scope)
        let settings = try await messaging.settings(storeId: store.id, scope: auth.scope)
        let masking = PhoneMasking(role: auth.user.role)
        let role = auth.user.role
        let view = OptOutsPage(
            storeName: "\(store.code) \(store.name)",
            tabs: MessagingTabs(storeId: store.id, current: "optouts", t: t).tabs,
            rows: list.map {
                OptOutsPage.Row(
                    phone: masking.text(PhoneNumber($0.phone)), rawPhone: $0.phone,
                    source: t("msg.source.\($0.source)"),
                    note: $0.note, by: $0.createdBy, at: DisplayFormat.instant($0.createdAt, timeZone: store.timeZone))
            },
            empty: list.isEmpty, canAdd: role.canManageMessaging || role.canWorkReminders,
            canRemove: role.canApproveBulkSends, csrf: auth.session?.csrfToken ?? "",
            addAction: "/stores/\(store.id)/opt-outs", removeAction: "/stores/\(store.id)/opt-outs/remove",
            error: error,
            settingsAction: "/stores/\(store.id)/messaging-settings", canEditSettings: role.canApproveBulkSends,
            quietStart: MessagingSettings.clock(settings.quietStart),
            quietEnd: MessagingSettings.clock(settings.quietEnd),
            monthlyCap: settings.monthlyCap, approvalThreshold: settings.approvalThreshold,
            keywords: settings.optOutKeywords.joined(separator: ", "), groupWide: settings.groupWideOptOut)
        return services.renderer.render(
            "messaging/opt_outs", titleKey: "msg.optouts_title", view: view, context: context,
            status: error == nil ? .ok : .unprocessableContent)
    }
}
