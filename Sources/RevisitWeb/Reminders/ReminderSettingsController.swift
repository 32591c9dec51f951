import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// The store's reminder rules as a form: each rule on or off and how it reaches the customer, the
/// intervals and lead days, the greetings, the daily hour. Managers change them; others read them.
struct ReminderSettingsController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/stores/:id/reminder-settings") { _, context in
            try await self.show(context, entered: nil, error: nil)
        }
        router.post("/stores/:id/reminder-settings") { _, context in try await self.save(context) }
    }

    func show(_ context: AppRequestContext, entered: ReminderSettings?, error: String?) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        var settings = entered
        if settings == nil { settings = try await services.reminders.settings(storeId: store.id, scope: auth.scope) }
        let view = ReminderSettingsPage(
            store: store, settings: settings ?? ReminderSettings(), canEdit: auth.user.role.canRunReminders,
            csrf: auth.session?.csrfToken ?? "",
            error: error, t: { services.localizer.text($0, context.language) })
        return services.renderer.render(
            "reminders/settings", titleKey: "reminder.settings_title", view: view, context: context,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func save(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let entered = ReminderSettingsPage.settings(from: context.form)
        do {
            try await services.reminders.saveSettings(entered, storeId: store.id, scope: auth.scope)
        } catch let error as RevisitError where error.kind == .validation {
            return try await show(
                context, entered: entered, error: services.localizer.message(for: error, context.language))
        }
        return Response.seeOther(
            "/stores/\(store.id)/reminder-settings", flash: "flash.reminder_settings_saved", cookies: cookies)
    }
}

struct ReminderSettingsPage {
    struct Rule {
        let type: String
        let label: String
        let on: Bool
        let channels: [Option]
    }

    struct Field {
        let name: String
        let label: String
        let value: String
    }

    let storeName: String
    let action: String
    let csrf: String
    let canEdit: Bool
    let error: String?
    let rules: [Rule]
    let fields: [Field]
    let winbackStages: [Option]
    let greetingStages: [Option]
    let festivals: [Option]
    let birthdayGreeting: Bool
    let anniversaryGreeting: Bool
    let dailyRun: Bool

    init(
        store: Store, settings: ReminderSettings, canEdit: Bool, csrf: String, error: String?, t: (String) -> String
    ) {
        storeName = "\(store.code) \(store.name)"
        action = "/stores/\(store.id)/reminder-settings"
        self.csrf = csrf
        self.canEdit = canEdit
        self.error = error
        rules = ReminderType.allCases.map { type in
            Rule(
                type: type.rawValue, label: t("reminder.type.\(type.rawValue)"), on: settings.isOn(type),
                channels: ReminderSettings.Channel.allCases.map {
                    Option(
                        value: $0.rawValue, label: t("reminder.channel.\($0.rawValue)"),
                        selected: settings.channel(type) == $0)
                })
        }
        let list = { (values: [Int]) in values.map(String.init).joined(separator: ", ") }
        let values: [(String, String)] = [
            ("maintenanceKm", String(settings.maintenanceKm)),
            ("maintenanceMonths", String(settings.maintenanceMonths)),
            ("maintenanceLeadDays", String(settings.maintenanceLeadDays)),
            ("defaultKmPerDay", String(settings.defaultKmPerDay)), ("readingsUsed", String(settings.readingsUsed)),
            ("firstMonths", String(settings.schedule.firstMonths)), ("firstKm", String(settings.schedule.firstKm)),
            ("secondMonths", String(settings.schedule.secondMonths)), ("secondKm", String(settings.schedule.secondKm)),
            ("insuranceLeadDays", list(settings.insuranceLeadDays)),
            ("inspectionLeadDays", String(settings.inspectionLeadDays)),
            ("licenceLeadDays", String(settings.licenceLeadDays)),
            ("warrantyLeadDays", String(settings.warrantyLeadDays)),
            ("overdueDays", String(settings.overdueDays)),
            ("seasonalCare", settings.seasonalCare.joined(separator: ", ")),
            ("conversionDays", String(settings.conversionDays)), ("dailyHour", String(settings.dailyHour)),
        ]
        fields = values.map { Field(name: $0.0, label: t("reminder.setting.\($0.0)"), value: $0.1) }
        winbackStages = [ChurnStage.semiChurned, .atRisk, .churned, .lost].map {
            Option(
                value: $0.rawValue, label: t("segment.stages.\($0.rawValue)"),
                selected: settings.winbackStages.contains($0))
        }
        greetingStages = [ChurnStage.active, .semiChurned, .atRisk, .churned, .lost].map {
            Option(
                value: $0.rawValue, label: t("segment.stages.\($0.rawValue)"),
                selected: settings.greetingStages.contains($0))
        }
        festivals = Festival.allCases.map {
            Option(
                value: $0.rawValue, label: t("festival.\($0.rawValue)"),
                selected: settings.festivals.contains($0.rawValue))
        }
        birthdayGreeting = settings.birthdayGreeting
        anniversaryGreeting = settings.anniversaryGreeting
        dailyRun = settings.dailyRun
    }

    /// The form as settings; a number that does not read keeps its default, and the store's check then
    /// refuses anything out of range with the field's name.
    static func settings(from form: FormData) -> ReminderSettings {
        var settings = ReminderSettings()
        func int(_ name: String) -> Int? { Int(form[name].trimmingCharacters(in: .whitespaces)) }
        func ints(_ name: String) -> [Int]? {
            let parts = form[name].split { $0 == "," || $0 == " " || $0 == "，" }
            let values = parts.compactMap { Int($0) }
            return values.count == parts.count ? values : [-1]
        }
        settings.disabled = ReminderType.allCases.filter { !form.all("on").contains($0.rawValue) }
        for type in ReminderType.allCases {
            if let channel = ReminderSettings.Channel(rawValue: form["channel-\(type.rawValue)"]) {
                settings.channels[type.rawValue] = channel
            }
        }
        settings.maintenanceKm = int("maintenanceKm") ?? -1
        settings.maintenanceMonths = int("maintenanceMonths") ?? -1
        settings.maintenanceLeadDays = int("maintenanceLeadDays") ?? -1
        settings.defaultKmPerDay = int("defaultKmPerDay") ?? -1
        settings.readingsUsed = int("readingsUsed") ?? -1
        settings.schedule = ReminderSettings.Schedule(
            firstMonths: int("firstMonths") ?? -1, firstKm: int("firstKm") ?? -1,
            secondMonths: int("secondMonths") ?? -1,
            secondKm: int("secondKm") ?? -1)
        settings.insuranceLeadDays = ints("insuranceLeadDays") ?? []
        settings.inspectionLeadDays = int("inspectionLeadDays") ?? -1
        settings.licenceLeadDays = int("licenceLeadDays") ?? -1
        settings.warrantyLeadDays = int("warrantyLeadDays") ?? -1
        settings.overdueDays = int("overdueDays") ?? -1
        settings.seasonalCare = form["seasonalCare"].split { $0 == "," || $0 == " " || $0 == "，" }.map(String.init)
        settings.conversionDays = int("conversionDays") ?? -1
        settings.dailyHour = int("dailyHour") ?? -1
        settings.winbackStages = form.all("winbackStages").compactMap(ChurnStage.init(rawValue:))
        settings.greetingStages = form.all("greetingStages").compactMap(ChurnStage.init(rawValue:))
        settings.festivals = form.all("festivals").filter { Festival(rawValue: $0) != nil }
        settings.birthdayGreeting = form.has("birthdayGreeting")
        settings.anniversaryGreeting = form.has("anniversaryGreeting")
        settings.dailyRun = form.has("dailyRun")
        return settings
    }
}
