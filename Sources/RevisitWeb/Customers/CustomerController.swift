import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The customer pages: list and search, the 360 page, create and edit, the alert flag, notes and
/// revealing full numbers.
struct CustomerController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/customers") { request, context in try await self.list(request, context) }
        router.get("/customers/export") { request, context in
            try await CustomerExport(services: services).response(request, context)
        }
        router.get("/customers/new") { _, context in try await self.newForm(context) }
        router.post("/customers") { _, context in try await self.create(context) }
        router.get("/customers/:id") { request, context in
            try await self.show(
                context, id: try context.parameters.requireID(), kind: request.uri.queryParameters.get("kind"))
        }
        router.get("/customers/:id/edit") { _, context in try await self.editForm(context) }
        router.post("/customers/:id") { _, context in try await self.update(context) }
        router.post("/customers/:id/alert") { _, context in try await self.setAlert(context, clear: false) }
        router.post("/customers/:id/alert/clear") { _, context in try await self.setAlert(context, clear: true) }
        router.post("/customers/:id/notes") { _, context in try await self.addNote(context) }
        router.post("/customers/:id/reveal") { _, context in try await self.reveal(context) }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let params = request.uri.queryParameters
        var query = try CustomerQuery.parse { params.get($0) }
        // Store users work in their current store; administrators and analysts may span stores.
        if query.storeId == nil, !auth.scope.isAdmin, auth.user.role != .groupAnalyst {
            query.storeId = auth.currentStore?.id
        }
        let page = try await services.customers.customers(query, scope: auth.scope)
        let stores = try await services.identity.stores(scope: auth.scope)
        let owners = try await OwnerChoices.load(
            storeId: query.storeId ?? auth.currentStore?.id, auth: auth, services: services, language: context.language)
        let masking = PhoneMasking(role: auth.user.role)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let segments = try await services.segments.segments(customerIds: page.items.map(\.id), scope: auth.scope)
        var next: String?
        if let cursor = page.nextCursor {
            var items = params.map { ($0.key, $0.value) }.filter { $0.0 != "cursor" }
            items.append(("cursor", Substring(cursor)))
            next =
                "/customers?"
                + items.map {
                    "\($0.0)=\(String($0.1).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                }.joined(separator: "&")
        }
        let pairs = params.map { (String($0.key), String($0.value)) }
        let view = CustomerListPage(
            q: query.q,
            rows: page.items.map { item in
                CustomerListPage.Row(
                    name: item.name, href: "/customers/\(item.id)", customerNo: item.customerNo ?? "",
                    phone: item.primaryPhone.map(masking.text) ?? "", phoneValid: item.primaryPhone?.isValid ?? false,
                    owner: owners.name(advisorId: item.ownerId, teamId: item.ownerTeamId),
                    store: stores.first { $0.id == item.storeId }?.code ?? "", alert: item.alertReason,
                    completeness: item.completeness, tags: item.tags.joined(separator: " · "),
                    segment: segments[item.id].map {
                        "\($0.value.rawValue) · \(t("segment.stages.\($0.churnStage.rawValue)"))"
                    }
                        ?? "")
            },
            empty: page.items.isEmpty, nextHref: next,
            exportCSVHref: auth.user.role.canExport ? Self.exportHref(pairs, format: .csv) : nil,
            exportXLSXHref: auth.user.role.canExport ? Self.exportHref(pairs, format: .xlsx) : nil,
            owners: owners.options(
                selected: CustomerOwner(advisorId: query.ownerId, teamId: query.ownerTeamId),
                none: t("customers.any_owner")),
            types: [Option(value: "", label: t("customers.any_type"), selected: query.type == nil)]
                + CustomerType.allCases.map {
                    Option(value: $0.rawValue, label: t("customer_type.\($0.rawValue)"), selected: $0 == query.type)
                },
            flags: [Option(value: "", label: t("customers.any_flag"), selected: query.flag == nil)]
                + DataFlag.allCases.map {
                    Option(value: $0.rawValue, label: t("flag.\($0.rawValue)"), selected: $0 == query.flag)
                },
            sorts: CustomerSort.allCases.map {
                Option(value: $0.rawValue, label: t("sort.\($0.rawValue)"), selected: $0 == query.sort)
            },
            tag: query.tag ?? "", alertOnly: query.alertOnly,
            consentSms: [
                Option(value: "", label: t("customers.any_consent"), selected: query.consentSMS == nil),
                Option(value: "1", label: t("customers.consent_yes"), selected: query.consentSMS == true),
                Option(value: "0", label: t("customers.consent_no"), selected: query.consentSMS == false),
            ],
            newHref: auth.user.role.canEditCustomers && auth.currentStore != nil ? "/customers/new" : nil,
            showStore: query.storeId == nil, storeFilter: params.get("store") ?? "",
            valueClasses: Self.options(ValueClass.allCases, selected: query.valueClass, key: "value", t: t),
            quadrants: Self.options(Quadrant.allCases, selected: query.quadrant, key: "quadrant", t: t),
            churnStages: Self.options(ChurnStage.allCases, selected: query.churnStage, key: "stages", t: t))
        return services.renderer.render("customers/list", titleKey: "customers.title", view: view, context: context)
    }

    /// A segment filter's choices: any, then each class by its label.
    static func options<T: RawRepresentable & Equatable>(
        _ cases: [T], selected: T?, key: String, t: (String) -> String
    ) -> [Option] where T.RawValue == String {
        [Option(value: "", label: t("customers.any_\(key)"), selected: selected == nil)]
            + cases.map {
                Option(value: $0.rawValue, label: t("segment.\(key).\($0.rawValue)"), selected: $0 == selected)
            }
    }

    func show(_ context: AppRequestContext, id: Int64, kind: String?, revealed: Bool = false) async throws -> Response {
        let auth = try context.requireAuth()
        let customer = try await services.customers.customer(id: id, scope: auth.scope)
        let language = context.language
        let t = { (key: String) in services.localizer.text(key, language) }
        let vehicles = try await services.vehicles.vehicles(ownedBy: id, scope: auth.scope)
        let orders = try await services.repairOrders.repairOrders(
            RepairOrderQuery(customerId: id, limit: 20), scope: auth.scope)
        let filter = try Parse.enumValue(kind, InteractionKind.self, field: "kind")
        let events = try await services.customers.interactions(
            customerId: id, kind: filter, limit: 100, scope: auth.scope)
        let store = try await services.identity.store(id: customer.storeId, scope: auth.scope)
        let owners = try await OwnerChoices.load(
            storeId: customer.storeId, auth: auth, services: services, language: context.language)
        let masking = PhoneMasking(role: auth.user.role, revealed: revealed)
        let today = LocalDate(services.now(), timeZone: TimeZone(identifier: store.timeZone) ?? .current)
        let plateOf = Dictionary(uniqueKeysWithValues: vehicles.map { ($0.id, $0.plate) })
        let segments = try await services.segments.segments(customerIds: [id], scope: auth.scope)[id]
        let moves = try await services.segments.moves(customerId: id, storeId: customer.storeId, scope: auth.scope)
        func label(_ key: String, _ value: String?) -> String {
            value.map { t("segment.\(key).\($0)") } ?? t("dashboard.moves.new")
        }
        var view = Customer360Page(
            id: id, name: customer.name, customerNo: customer.customerNo,
            segment: segments.map { segment in
                [
                    t("segment.value.\(segment.value.rawValue)"), t("segment.quadrant.\(segment.quadrant.rawValue)"),
                    t("segment.stages.\(segment.churnStage.rawValue)"),
                    "RFM \(segment.rfm.r)-\(segment.rfm.f)-\(segment.rfm.m)",
                ].joined(separator: " · ") + " (\(segment.asOf))"
            },
            segmentHistory: moves.map { move in
                var changes: [String] = []
                if move.fromValue != move.toValue {
                    changes.append("\(label("value", move.fromValue)) → \(label("value", move.toValue))")
                }
                if move.fromStage != move.toStage {
                    changes.append("\(label("stages", move.fromStage)) → \(label("stages", move.toStage))")
                }
                return "\(move.asOf): " + changes.joined(separator: "；")
            },
            hasSegmentHistory: !moves.isEmpty,
            typeLabel: t("customer_type.\(customer.type.rawValue)"),
            genderLabel: t("gender.\(customer.gender.rawValue)"),
            birthday: customer.birthday?.description ?? "",
            phones: customer.phones.map {
                Customer360Page.Phone(
                    text: masking.text($0.number), kind: t("phone_kind.\($0.kind.rawValue)"), primary: $0.primary,
                    valid: $0.number.isValid)
            },
            canReveal: !revealed && PhoneMasking.canReveal(auth.user.role), revealHref: "/customers/\(id)/reveal",
            address: customer.address, region: customer.region, sourceChannel: customer.sourceChannel,
            consentSms: customer.consentMarketingSMS, consentCallback: customer.consentCallback,
            consentService: customer.consentServiceSMS, tags: customer.tags,
            notes: customer.notes, licenceReviewDate: customer.licenceReviewDate?.description ?? "",
            owner: owners.name(advisorId: customer.ownerId, teamId: customer.ownerTeamId),
            storeName: "\(store.code) \(store.name)",
            contacts: customer.contacts.map {
                CustomerContactRow(name: $0.name, title: $0.title, phone: $0.phone.map(masking.text) ?? "")
            },
            hasContacts: !customer.contacts.isEmpty, alert: customer.alert?.reason,
            alertBy: customer.alert.map { "\($0.setBy) · \(DisplayFormat.instant($0.setAt, timeZone: store.timeZone))" }
                ?? "",
            canClearAlert: auth.user.role.canClearAlerts, canEdit: auth.user.role.canEditCustomers,
            alertHref: "/customers/\(id)/alert", clearAlertHref: "/customers/\(id)/alert/clear",
            noteHref: "/customers/\(id)/notes", editHref: "/customers/\(id)/edit",
            newVehicleHref: "/vehicles/new?customer=\(id)",
            completeness: Completeness.score(customer, vehicleCount: vehicles.count),
            missing: Completeness.missing(customer, vehicleCount: vehicles.count).map { t("key_field.\($0)") }
                .joined(separator: "、"),
            vehicles: vehicles.map { vehicle in
                Customer360Page.VehicleRow(
                    href: "/vehicles/\(vehicle.id)", plate: vehicle.plate, vin: vehicle.vin,
                    model: [vehicle.brand, vehicle.model, vehicle.trim].filter { !$0.isEmpty }.joined(separator: " "),
                    deliveryDate: vehicle.deliveryDate?.description ?? "",
                    mileage: vehicle.mileageKm.map { "\($0) km" } ?? "", warranty: vehicle.inWarranty(on: today),
                    flagged: !vehicle.vinValid || !vehicle.plateValid)
            },
            orders: orders.items.map { order in
                Customer360Page.OrderRow(
                    href: "/repair-orders/\(order.id)", orderNo: order.orderNo, openedOn: order.openedOn.description,
                    type: t(order.type.labelKey), total: Money.yuan(order.totalFen),
                    plate: order.vehicleId.flatMap { plateOf[$0] } ?? "",
                    comeback: order.internalComeback || order.externalComeback)
            },
            totalSpent: Money.yuan(orders.items.reduce(0) { $0 + $1.totalFen }), visits: orders.items.count,
            lastVisit: orders.items.first?.openedOn.description ?? "—",
            events: events.map { event in
                Customer360Page.Event(
                    at: DisplayFormat.instant(event.at, timeZone: store.timeZone),
                    kind: t("interaction.\(event.kind.rawValue)"),
                    summary: event.summary, who: event.userLogin)
            },
            kinds: [Option(value: "", label: t("customer.all_kinds"), selected: filter == nil)]
                + InteractionKind.allCases.map {
                    Option(value: $0.rawValue, label: t("interaction.\($0.rawValue)"), selected: $0 == filter)
                },
            mergedNotice: customer.mergedIntoId.map { "/customers/\($0)" }, csrf: auth.session?.csrfToken ?? "")
        // Who had the customer, and when (DOMAIN §4).
        view.ownerHistory = try await services.ownership.history(
            customerId: id, storeId: customer.storeId, scope: auth.scope
        ).map { change in
            let from = owners.name(advisorId: change.fromOwnerId, teamId: change.fromTeamId)
            let to = owners.name(advisorId: change.toOwnerId, teamId: change.toTeamId)
            return "\(DisplayFormat.instant(change.at, timeZone: store.timeZone)) \(from.isEmpty ? "—" : from) → "
                + "\(to.isEmpty ? "—" : to)（\(t("owner_reason.\(change.reason)"))，\(change.by)）"
        }
        view.hasOwnerHistory = !view.ownerHistory.isEmpty
        return services.renderer.render("customers/show", titleKey: "customer.title", view: view, context: context)
    }

    func newForm(
        _ context: AppRequestContext, draft: CustomerDraft = CustomerDraft(name: ""), error: RevisitError? = nil
    )
        async throws -> Response
    {
        let auth = try context.requireAuth()
        guard auth.user.role.canEditCustomers, let store = auth.currentStore else {
            throw RevisitError(.forbidden, code: .forbidden)
        }
        var draft = draft
        if error == nil, draft.ownerId == nil, auth.user.role == .serviceAdvisor { draft.ownerId = auth.user.id }
        return try await form(
            context, draft: draft, version: nil, action: "/customers", cancel: "/customers", storeId: store.id,
            error: error)
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        guard auth.user.role.canEditCustomers, let store = auth.currentStore else {
            throw RevisitError(.forbidden, code: .forbidden)
        }
        var draft = CustomerDraft(name: "")
        do {
            draft = try CustomerForm.draft(from: context.form).draft
            let customer = try await services.customers.createCustomer(
                storeId: store.id, try draft.validated(), scope: auth.scope)
            return Response.seeOther("/customers/\(customer.id)", flash: "flash.customer_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await newForm(context, draft: draft, error: error)
        }
    }

    func editForm(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let customer = try await services.customers.customer(id: try context.parameters.requireID(), scope: auth.scope)
        guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
        return try await form(
            context, draft: CustomerDraft(customer), version: customer.version, action: "/customers/\(customer.id)",
            cancel: "/customers/\(customer.id)", storeId: customer.storeId, error: nil)
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let customer = try await services.customers.customer(id: try context.parameters.requireID(), scope: auth.scope)
        guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
        var draft = CustomerDraft(customer)
        var version = customer.version
        do {
            let posted = try CustomerForm.draft(from: context.form)
            draft = posted.draft
            version = posted.version ?? -1
            _ = try await services.customers.updateCustomer(
                id: customer.id, try draft.validated(), expectedVersion: version, scope: auth.scope)
            return Response.seeOther("/customers/\(customer.id)", flash: "flash.customer_saved", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await form(
                context, draft: draft, version: version, action: "/customers/\(customer.id)",
                cancel: "/customers/\(customer.id)", storeId: customer.storeId, error: error)
        }
    }

    func setAlert(_ context: AppRequestContext, clear: Bool) async throws -> Response {
        let auth = try context.requireAuth()
        let id = try context.parameters.requireID()
        _ = try await services.customers.customer(id: id, scope: auth.scope)
        if clear {
            guard auth.user.role.canClearAlerts else { throw RevisitError(.forbidden, code: .forbidden) }
            _ = try await services.customers.setAlert(customerId: id, reason: nil, scope: auth.scope)
            return Response.seeOther("/customers/\(id)", flash: "flash.alert_cleared", cookies: cookies)
        }
        guard auth.user.role.canEditCustomers else { throw RevisitError(.forbidden, code: .forbidden) }
        _ = try await services.customers.setAlert(customerId: id, reason: context.form["reason"], scope: auth.scope)
        return Response.seeOther("/customers/\(id)", flash: "flash.alert_set", cookies: cookies)
    }

    func addNote(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let id = try context.parameters.requireID()
        let kind = InteractionKind(rawValue: context.form["kind"]) ?? .note
        guard [.call, .visit, .note].contains(kind) else {
            throw RevisitError(.validation, code: .invalidValue, field: "kind")
        }
        try await services.customers.addInteraction(
            customerId: id, kind: kind, summary: context.form["summary"], scope: auth.scope)
        return Response.seeOther("/customers/\(id)", flash: "flash.note_added", cookies: cookies)
    }

    func reveal(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let id = try context.parameters.requireID()
        _ = try await services.customers.customer(id: id, scope: auth.scope)
        guard auth.user.role.phoneAccess != .masked else { throw RevisitError(.forbidden, code: .forbidden) }
        try await services.customers.recordReveal(customerId: id, scope: auth.scope)
        return try await show(context, id: id, kind: nil, revealed: true)
    }

    func form(
        _ context: AppRequestContext, draft: CustomerDraft, version: Int64?, action: String, cancel: String,
        storeId: Int64,
        error: RevisitError?
    ) async throws -> Response {
        let auth = try context.requireAuth()
        let owners = try await OwnerChoices.load(
            storeId: storeId, auth: auth, services: services, language: context.language)
        let view = CustomerFormPage(
            draft: draft, version: version, action: action, cancelHref: cancel, csrf: auth.session?.csrfToken ?? "",
            error: error.map { services.localizer.message(for: $0, context.language) }, errorField: error?.field,
            owners: owners, localizer: services.localizer, language: context.language)
        return services.renderer.render(
            "customers/form", titleKey: version == nil ? "customers.new" : "customers.edit", view: view,
            context: context,
            status: error.map(ErrorMiddleware.status(for:)) ?? .ok)
    }

    /// The export of what the list shows: same search and filters, every page.
    static func exportHref(_ params: [(String, String)], format: ExportFormat) -> String {
        var href = "/customers/export?format=" + format.rawValue
        for (key, value) in params where key != "cursor" && key != "format" {
            href += "&" + key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return href
    }
}
