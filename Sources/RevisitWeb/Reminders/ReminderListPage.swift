import Foundation
import RevisitCore

struct ReminderListPage {
    struct Row {
        let id: Int64
        let dueDate: String
        let overdue: Bool
        let type: String
        let customer: String
        /// The customer's value class, shown beside the name.
        let valueClass: String
        let customerHref: String?
        let vehicle: String
        let reason: String
        let status: String
        let outcome: String
        let open: Bool
        let action: String
    }

    let rows: [Row]
    let empty: Bool
    let types: [Option]
    let statuses: [Option]
    let owners: [Option]
    let outcomes: [Option]
    let dueFrom: String
    let dueTo: String
    let customerNo: String
    let vin: String
    let nextHref: String?
    let csrf: String
    let canWork: Bool
    let canRun: Bool
    let nextPath: String
    let settingsHref: String

    init(
        query: ReminderQuery, page: (items: [Reminder], nextCursor: String?), owners: OwnerChoices, text: ReminderText,
        today: LocalDate, csrf: String, canWork: Bool, canRun: Bool, nextPath: String
    ) {
        settingsHref = "/stores/\(query.storeId ?? 0)/reminder-settings"
        rows = Self.rows(page.items, text: text, today: today)
        empty = rows.isEmpty
        types =
            [Option(value: "", label: text.t("reminder.any_type"), selected: query.type == nil)]
            + ReminderType.allCases.map { Option(value: $0.rawValue, label: text.type($0), selected: $0 == query.type) }
        statuses =
            [Option(value: "", label: text.t("reminder.any_status"), selected: query.status == nil)]
            + ReminderStatus.allCases.map {
                Option(value: $0.rawValue, label: text.status($0), selected: $0 == query.status)
            }
        // An advisor's own-and-team list shows as their name; the select offers advisors, then teams.
        let chosen = CustomerOwner(advisorId: query.ownerId, teamId: query.ownerId == nil ? query.teamId : nil)
        self.owners = OwnerChoices(
            staff: owners.staff.filter { $0.role == .serviceAdvisor }, teams: owners.teams, teamLabel: owners.teamLabel
        ).options(selected: chosen, none: text.t("customers.any_owner"))
        outcomes = Self.outcomes(text)
        dueFrom = query.dueFrom?.description ?? ""
        dueTo = query.dueTo?.description ?? ""
        customerNo = query.customerNo ?? ""
        vin = query.vin ?? ""
        var items = [
            ("type", query.type?.rawValue), ("status", query.status?.rawValue),
            ("ownerId", query.ownerId.map(String.init)), ("teamId", query.teamId.map(String.init)),
            ("dueFrom", query.dueFrom?.description), ("dueTo", query.dueTo?.description),
            ("customerNo", query.customerNo), ("vin", query.vin),
        ].compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        }
        if let cursor = page.nextCursor { items.append("cursor=\(cursor)") }
        nextHref = page.nextCursor == nil ? nil : "/reminders?" + items.joined(separator: "&")
        self.csrf = csrf
        self.canWork = canWork
        self.canRun = canRun
        self.nextPath = nextPath
    }

    static func rows(_ reminders: [Reminder], text: ReminderText, today: LocalDate) -> [Row] {
        reminders.map { reminder in
            Row(
                id: reminder.id, dueDate: reminder.dueDate.description,
                overdue: reminder.status == .open && reminder.dueDate < today, type: text.type(reminder.type),
                customer: reminder.customerName ?? "", valueClass: reminder.valueClass ?? "",
                customerHref: reminder.customerId.map { "/customers/\($0)" },
                vehicle: [reminder.plate, reminder.vin].compactMap { $0 }.filter { !$0.isEmpty }.joined(
                    separator: " · "),
                reason: text.reason(reminder), status: text.status(reminder.status),
                outcome: reminder.outcome.map(text.outcome).map {
                    [$0, reminder.outcomeNote].filter { !$0.isEmpty }.joined(separator: "：")
                } ?? "",
                open: reminder.status == .open, action: "/reminders/\(reminder.id)/outcome")
        }
    }

    static func outcomes(_ text: ReminderText) -> [Option] {
        ReminderOutcome.allCases.map { Option(value: $0.rawValue, label: text.outcome($0), selected: false) }
    }
}
