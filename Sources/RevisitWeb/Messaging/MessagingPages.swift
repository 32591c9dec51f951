import Foundation
import RevisitCore

/// View models of the messaging pages. Mustache reads stored properties only, so everything is worked
/// out here in the reader's language. Select lists use the shared `Option`.

/// The tabs every messaging page shows.
struct MessagingTabs {
    struct Tab {
        let href: String
        let label: String
        let current: Bool
    }

    let tabs: [Tab]

    init(storeId: Int64, current: String, t: (String) -> String) {
        tabs = [
            ("outbox", "/stores/\(storeId)/messaging"), ("templates", "/stores/\(storeId)/templates"),
            ("bulk", "/stores/\(storeId)/bulk-sends"), ("optouts", "/stores/\(storeId)/opt-outs"),
        ].map { Tab(href: $0.1, label: t("msg.tab.\($0.0)"), current: $0.0 == current) }
    }
}

struct OutboxPage {
    struct Row {
        let id: Int64
        let created: String
        let customer: String
        let customerHref: String?
        let phone: String
        let kind: String
        let text: String
        let status: String
        let statusCode: String
        let detail: String
        let attempts: Int
        let canRetry: Bool
    }

    struct Count {
        let label: String
        let count: Int
        let href: String
    }

    let storeName: String
    let tabs: [MessagingTabs.Tab]
    let counts: [Count]
    let statuses: [Option]
    let phone: String
    let rows: [Row]
    let empty: Bool
    let nextHref: String?
    let canRetry: Bool
    let csrf: String

    static func status(_ status: OutboxStatus, _ t: (String) -> String) -> String { t("msg.status.\(status.rawValue)") }

    static func row(
        _ message: OutboxMessage, masking: PhoneMasking, zone: TimeZone, canRetry: Bool, t: (String) -> String
    ) -> Row {
        var detail = message.refusal.map { t("msg.refusal.\($0.rawValue)") } ?? message.lastError ?? ""
        if let receipt = message.receiptStatus { detail = t("msg.receipt") + ": " + receipt }
        return Row(
            id: message.id, created: DisplayFormat.instant(message.createdAt, timeZone: zone.identifier),
            customer: message.customerName ?? "", customerHref: message.customerId.map { "/customers/\($0)" },
            phone: message.phone.isEmpty ? "" : masking.text(PhoneNumber(message.phone)),
            kind: t("msg.kind.\(message.kind.rawValue)"), text: message.body, status: status(message.status, t),
            statusCode: message.status.rawValue, detail: detail, attempts: message.attempts,
            canRetry: canRetry && message.status.canRetry)
    }
}

struct TemplatesPage {
    struct Row {
        let id: Int64
        let name: String
        let kind: String
        let purpose: String
        let text: String
        let href: String
    }

    let storeName: String
    let tabs: [MessagingTabs.Tab]
    let rows: [Row]
    let empty: Bool
    let canEdit: Bool
    let csrf: String
    // The form (new or the one being edited).
    let action: String
    let editing: Bool
    let deleteAction: String?
    let name: String
    let body: String
    let kinds: [Option]
    let languages: [Option]
    let purposes: [Option]
    let variables: String
    let error: String?
    let previewCustomer: String?
    let previewText: String?
    let previewParts: Int
    let previewCharacters: Int
}

struct BulkSendsPage {
    struct Row {
        let id: Int64
        let href: String
        let created: String
        let template: String
        let status: String
        let recipients: Int
        let candidates: Int
        let sent: Int
        let by: String
    }

    struct Filter {
        let name: String
        let label: String
        let options: [Option]
    }

    let storeName: String
    let tabs: [MessagingTabs.Tab]
    let rows: [Row]
    let empty: Bool
    let canSend: Bool
    let csrf: String
    let previewAction: String
    let templates: [Option]
    let filters: [Filter]
    let tag: String
    let noTemplates: Bool
    let error: String?
}

struct BulkPreviewPage {
    struct Excluded {
        let label: String
        let count: Int
    }

    let storeName: String
    let tabs: [MessagingTabs.Tab]
    let template: String
    let filtersText: String
    let candidates: Int
    let recipients: Int
    let held: Int
    let excluded: [Excluded]
    let sampleCustomer: String
    let sampleText: String
    let parts: Int
    let characters: Int
    let totalParts: Int
    let needsApproval: Bool
    let approvalNote: String?
    let action: String
    let backHref: String
    let csrf: String
    let hidden: [Option]
    let canSend: Bool
}

struct BulkSendPage {
    struct Progress {
        let label: String
        let count: Int
        let href: String
    }

    let storeName: String
    let tabs: [MessagingTabs.Tab]
    let id: Int64
    let template: String
    let status: String
    let waiting: Bool
    let canDecide: Bool
    let approveAction: String
    let cancelAction: String
    let csrf: String
    let filtersText: String
    let candidates: Int
    let recipients: Int
    let excluded: [BulkPreviewPage.Excluded]
    let sampleText: String
    let progress: [Progress]
    let createdBy: String
    let created: String
    let decided: String?
}

struct OptOutsPage {
    struct Row {
        let phone: String
        let rawPhone: String
        let source: String
        let note: String
        let by: String
        let at: String
    }

    let storeName: String
    let tabs: [MessagingTabs.Tab]
    let rows: [Row]
    let empty: Bool
    let canAdd: Bool
    let canRemove: Bool
    let csrf: String
    let addAction: String
    let removeAction: String
    let error: String?
    // The store's rules, as a form beside the list.
    let settingsAction: String
    let canEditSettings: Bool
    let quietStart: String
    let quietEnd: String
    let monthlyCap: Int
    let approvalThreshold: Int
    let keywords: String
    let groupWide: Bool
}
