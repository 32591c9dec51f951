import Foundation
import RevisitCore

/// How phone numbers are shown to the person asking: in full, or masked (138****5678), by role
/// (`Role.phoneAccess`) and whether they revealed this customer's numbers just now.
struct PhoneMasking: Sendable {
    let showFull: Bool

    init(role: Role, revealed: Bool = false) {
        switch role.phoneAccess {
        case .full: showFull = true
        case .onReveal: showFull = revealed
        case .masked: showFull = false
        }
    }

    func text(_ phone: PhoneNumber) -> String { showFull ? phone.display : phone.masked }

    /// Whether the page should offer a "show numbers" button.
    static func canReveal(_ role: Role) -> Bool { role.phoneAccess == .onReveal }
}

extension Role {
    /// Clearing a 'handle with care' flag closes a concern: managers and customer service do it, not the
    /// advisor who may be the subject of the complaint.
    var canClearAlerts: Bool { self == .admin || self == .storeManager || self == .csr }

    /// Who edits customer records: store staff, not analysts or marketing (who read).
    var canEditCustomers: Bool {
        self == .admin || self == .storeManager || self == .serviceAdvisor || self == .csr
    }
}
