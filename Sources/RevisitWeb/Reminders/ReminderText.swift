import Foundation
import RevisitCore

/// A reminder's reason as a sentence in the reader's language, from its code and the data behind it.
struct ReminderText {
    let localizer: Localizer
    let language: Language

    func t(_ key: String) -> String { localizer.text(key, language) }

    func reason(_ reminder: Reminder) -> String {
        var args = reminder.basis
        if let by = args["dueBy"] { args["dueBy"] = t("reminder.due_by.\(by)") }
        if let pace = args["pace"] { args["pace"] = t("reminder.pace.\(pace)") }
        if let festival = args["festival"] { args["festival"] = t("festival.\(festival)") }
        if let km = args["lastMaintenanceKm"].flatMap(Int.init) { args["lastMaintenanceKm"] = NumberText.integer(km) }
        return localizer.text("reminder.reason.\(reminder.reason)", language, args)
    }

    func type(_ type: ReminderType) -> String { t("reminder.type.\(type.rawValue)") }
    func status(_ status: ReminderStatus) -> String { t("reminder.status.\(status.rawValue)") }
    func outcome(_ outcome: ReminderOutcome) -> String { t("reminder.outcome.\(outcome.rawValue)") }
}
