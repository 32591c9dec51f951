import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// A store's segmentation runs and thresholds. Everyone who sees the store reads them; managers change
/// the thresholds (used from the next run) and start a run.
struct SegmentsPageController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores/:id/segments") { _, context in try await self.show(context, settings: nil, error: nil) }
        router.post("/stores/:id/segments/settings") { _, context in try await self.save(context) }
    }

    func show(_ context: AppRequestContext, settings: SegmentSettings?, error: String?) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let saved = try await services.segments.settings(storeId: store.id, scope: auth.scope)
        let runs = try await services.segments.runs(storeId: store.id, limit: 30, scope: auth.scope)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let view = SegmentsPage(
            store: store, runs: runs, settings: settings ?? saved, canEdit: auth.user.role.canRunSegments,
            csrf: auth.session?.csrfToken ?? "", error: error, t: t)
        return services.renderer.render(
            "analytics/segments", titleKey: "segments.title", view: view, context: context,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func save(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        // The store first: another store's id is 404 whatever the form says.
        let storeId = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope).id
        let form = context.form
        let settings: SegmentSettings
        do {
            settings = try SegmentsPage.settings(from: form)
            try await services.segments.saveSettings(settings, storeId: storeId, scope: auth.scope)
        } catch let error as RevisitError where error.kind == .validation {
            let entered = SegmentsPage.entered(from: form)
            return try await show(
                context, settings: entered, error: services.localizer.message(for: error, context.language))
        }
        return Response.seeOther(Paths.storeSegments(storeId), flash: "flash.segment_settings_saved", cookies: cookies)
    }
}

struct SegmentsPage {
    struct RunRow {
        let asOf: String
        let trigger: String
        let user: String
        let customers: String
        let moved: String
        let duration: String
        let startedAt: String
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    let storeName: String
    let dashboardHref: String
    let runs: [RunRow]
    let hasRuns: Bool
    let canEdit: Bool
    let action: String
    let runAction: String
    let csrf: String
    let error: String?
    let bases: [Option]
    let windowMonths: Int
    let shares: String
    let loyalVisits: Int
    let loyalMonths: Int
    let churnMonths: String
    let ageBandYears: String
    let warrantyMonths: Int
    let warrantyKm: Int
    let nightlyRun: Bool
    let nightlyHour: Int

    init(
        store: Store, runs: [SegmentRun], settings: SegmentSettings, canEdit: Bool, csrf: String, error: String?,
        t: (String) -> String
    ) {
        storeName = "\(store.code) \(store.name)"
        dashboardHref = Paths.storeDashboard(store.id)
        self.runs = runs.map { run in
            RunRow(
                asOf: run.asOf.description, trigger: t("segment.trigger.\(run.trigger.rawValue)"), user: run.userLogin,
                customers: NumberText.integer(run.counts.customers), moved: NumberText.integer(run.moved),
                duration: NumberText.integer(Int(run.durationMs)) + " ms",
                startedAt: DisplayFormat.instant(run.startedAt, timeZone: store.timeZone))
        }
        hasRuns = !runs.isEmpty
        self.canEdit = canEdit
        action = "/stores/\(store.id)/segments/settings"
        runAction = Paths.storeSegmentRun(store.id)
        self.csrf = csrf
        self.error = error
        bases = SegmentSettings.ValueBasis.allCases.map {
            Option(value: $0.rawValue, label: t("segments.basis.\($0.rawValue)"), selected: $0 == settings.valueBasis)
        }
        windowMonths = settings.windowMonths
        shares = settings.topSharesPercent.map(String.init).joined(separator: ", ")
        loyalVisits = settings.loyalVisits
        loyalMonths = settings.loyalMonths
        churnMonths = settings.churnMonths.map(String.init).joined(separator: ", ")
        ageBandYears = settings.ageBandYears.map(String.init).joined(separator: ", ")
        warrantyMonths = settings.warrantyMonths
        warrantyKm = settings.warrantyKm
        nightlyRun = settings.nightlyRun
        nightlyHour = settings.nightlyHour
    }

    /// What the person typed, to show again beside the refusal: fields that do not parse keep the defaults.
    static func entered(from form: FormData) -> SegmentSettings {
        var settings = SegmentSettings()
        func number(_ field: String) -> Int? { Int(form[field].trimmingCharacters(in: .whitespaces)) }
        func numbers(_ field: String) -> [Int]? {
            let values = form[field].split { $0 == "," || $0 == " " || $0 == "，" || $0 == "/" }.compactMap { Int($0) }
            return values.isEmpty ? nil : values
        }
        settings.valueBasis = SegmentSettings.ValueBasis(rawValue: form["valueBasis"]) ?? settings.valueBasis
        settings.windowMonths = number("windowMonths") ?? settings.windowMonths
        settings.topSharesPercent = numbers("topSharesPercent") ?? settings.topSharesPercent
        settings.loyalVisits = number("loyalVisits") ?? settings.loyalVisits
        settings.loyalMonths = number("loyalMonths") ?? settings.loyalMonths
        settings.churnMonths = numbers("churnMonths") ?? settings.churnMonths
        settings.ageBandYears = numbers("ageBandYears") ?? settings.ageBandYears
        settings.warrantyMonths = number("warrantyMonths") ?? settings.warrantyMonths
        settings.warrantyKm = number("warrantyKm") ?? settings.warrantyKm
        settings.nightlyRun = form.has("nightlyRun")
        settings.nightlyHour = number("nightlyHour") ?? settings.nightlyHour
        return settings
    }

    /// The settings a form gives; a field that is not a number (or list of numbers) is refused by name.
    static func settings(from form: FormData) throws(RevisitError) -> SegmentSettings {
        func refuse(_ field: String) -> RevisitError {
            RevisitError(.validation, code: .invalidValue, field: field, args: ["field": field])
        }
        guard SegmentSettings.ValueBasis(rawValue: form["valueBasis"]) != nil else { throw refuse("valueBasis") }
        for field in ["windowMonths", "loyalVisits", "loyalMonths", "warrantyMonths", "warrantyKm", "nightlyHour"]
        where Int(form[field].trimmingCharacters(in: .whitespaces)) == nil {
            throw refuse(field)
        }
        for field in ["topSharesPercent", "churnMonths", "ageBandYears"] {
            let parts = form[field].split { $0 == "," || $0 == " " || $0 == "，" || $0 == "/" }
            guard !parts.isEmpty, parts.allSatisfy({ Int($0) != nil }) else { throw refuse(field) }
        }
        return try entered(from: form).validated()
    }
}
