import Foundation
import RevisitCore

/// The customer list: search box, filters, rows, and a link to the next page (keyset, no counts).
struct CustomerListPage {
    struct Row {
        let name: String
        let href: String
        let customerNo: String
        let phone: String
        let phoneValid: Bool
        let owner: String
        let store: String
        let alert: String?
        let completeness: Int
        let tags: String
        /// Value class and churn stage from the last run, empty before one.
        let segment: String
    }
    let q: String
    let rows: [Row]
    let empty: Bool
    let nextHref: String?
    let exportCSVHref: String?
    let exportXLSXHref: String?
    let owners: [Option]
    let types: [Option]
    let flags: [Option]
    let sorts: [Option]
    let tag: String
    let alertOnly: Bool
    let consentSms: [Option]
    let newHref: String?
    let showStore: Bool
    /// A store given in the address (a dashboard's link) stays through a new search.
    let storeFilter: String
    let valueClasses: [Option]
    let quadrants: [Option]
    let churnStages: [Option]
}

/// The customer's whole story on one screen.
struct Customer360Page {
    struct Phone {
        let text: String
        let kind: String
        let primary: Bool
        let valid: Bool
    }
    struct VehicleRow {
        let href: String
        let plate: String
        let vin: String
        let model: String
        let deliveryDate: String
        let mileage: String
        let warranty: Bool
        let flagged: Bool
    }
    struct OrderRow {
        let href: String
        let orderNo: String
        let openedOn: String
        let type: String
        let total: String
        let plate: String
        let comeback: Bool
    }
    struct Event {
        let at: String
        let kind: String
        let summary: String
        let who: String
    }
    let id: Int64
    let name: String
    let customerNo: String?
    /// The classes from the store's last run: value, quadrant, churn stage, RFM.
    let segment: String?
    /// How the classes moved, newest first ("2026-11-30: B → A").
    let segmentHistory: [String]
    let hasSegmentHistory: Bool
    /// Every change of owner, newest first: "2026-03-02 李顾问 → 小组 · 接车一组（重新分配，manager）".
    var ownerHistory: [String] = []
    var hasOwnerHistory = false
    let typeLabel: String
    let genderLabel: String
    let birthday: String
    let phones: [Phone]
    let canReveal: Bool
    let revealHref: String
    let address: String
    let region: String
    let sourceChannel: String
    let consentSms: Bool
    let consentCallback: Bool
    let consentService: Bool
    let tags: [String]
    let notes: String
    let licenceReviewDate: String
    let owner: String
    let storeName: String
    let contacts: [CustomerContactRow]
    /// Stored: templates read view models by reflection, which does not see computed properties.
    let hasContacts: Bool
    let alert: String?
    let alertBy: String
    let canClearAlert: Bool
    let canEdit: Bool
    let alertHref: String
    let clearAlertHref: String
    let noteHref: String
    let editHref: String
    let newVehicleHref: String
    let completeness: Int
    let missing: String
    let vehicles: [VehicleRow]
    let orders: [OrderRow]
    let totalSpent: String
    let visits: Int
    let lastVisit: String
    let events: [Event]
    let kinds: [Option]
    let mergedNotice: String?
    let csrf: String
}

struct CustomerContactRow {
    let name: String
    let title: String
    let phone: String
}
