import Foundation

/// The rules of DOMAIN §5, as the `type` a reminder carries.
public enum ReminderType: String, Sendable, Codable, CaseIterable {
    case maintenance
    /// First and second maintenance of a new car (首保/二保).
    case firstMaintenance = "first_maintenance"
    case insurance
    case inspection
    case licence
    case warranty
    case winback
    case greeting
}

/// What a reminder is due for, decided by a rule from a vehicle's or customer's data: the key makes it
/// once-only (a second run, or a restart, finds the key and creates nothing), the basis is the data a
/// person reads to trust it.
public struct ReminderCandidate: Sendable, Equatable {
    public var type: ReminderType
    /// Unique per store: the rule, the record and the occasion (a maintenance cycle, an expiry date and
    /// its lead, a stage entered, a greeting's year).
    public var key: String
    public var customerId: Int64?
    public var vehicleId: Int64?
    /// The day the event falls due (the expiry, the predicted maintenance, the festival).
    public var dueDate: LocalDate
    /// A code for the reason, rendered in the reader's language with `args`.
    public var reason: String
    public var args: [String: String]

    public init(
        type: ReminderType, key: String, customerId: Int64?, vehicleId: Int64?, dueDate: LocalDate, reason: String,
        args: [String: String] = [:]
    ) {
        self.type = type
        self.key = key
        self.customerId = customerId
        self.vehicleId = vehicleId
        self.dueDate = dueDate
        self.reason = reason
        self.args = args
    }
}
