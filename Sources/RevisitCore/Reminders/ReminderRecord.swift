import Foundation

public enum ReminderStatus: String, Sendable, Codable, CaseIterable {
    /// A task not yet worked.
    case open
    /// Worked: an outcome is recorded.
    case done
    /// A repair order followed within the conversion window.
    case converted
}

/// What came of working a reminder (DOMAIN §5).
public enum ReminderOutcome: String, Sendable, Codable, CaseIterable {
    case contacted, appointment, visited, declined, unreachable
}

/// A kept reminder, with the names a list shows beside it.
public struct Reminder: Sendable, Equatable, Codable {
    public var id: Int64
    public var storeId: Int64
    public var type: ReminderType
    public var key: String
    public var customerId: Int64?
    public var vehicleId: Int64?
    public var ownerId: Int64?
    /// The advisor team that owns the customer, when a team does: every member works the task.
    public var ownerTeamId: Int64? = nil
    public var dueDate: LocalDate
    public var createdOn: LocalDate
    public var channel: ReminderSettings.Channel
    public var reason: String
    public var basis: [String: String]
    public var status: ReminderStatus
    public var outcome: ReminderOutcome?
    public var outcomeNote: String
    public var outcomeBy: String?
    public var convertedOn: LocalDate?
    public var customerNo: String?
    public var customerName: String?
    public var vin: String?
    public var plate: String?
    /// The customer's value class from the last segmentation run (A calls first).
    public var valueClass: String? = nil

    public init(
        id: Int64, storeId: Int64, type: ReminderType, key: String, customerId: Int64?, vehicleId: Int64?,
        ownerId: Int64?, dueDate: LocalDate, createdOn: LocalDate, channel: ReminderSettings.Channel, reason: String,
        basis: [String: String], status: ReminderStatus, outcome: ReminderOutcome?, outcomeNote: String,
        outcomeBy: String?, convertedOn: LocalDate?, customerNo: String?, customerName: String?, vin: String?,
        plate: String?
    ) {
        self.id = id
        self.storeId = storeId
        self.type = type
        self.key = key
        self.customerId = customerId
        self.vehicleId = vehicleId
        self.ownerId = ownerId
        self.dueDate = dueDate
        self.createdOn = createdOn
        self.channel = channel
        self.reason = reason
        self.basis = basis
        self.status = status
        self.outcome = outcome
        self.outcomeNote = outcomeNote
        self.outcomeBy = outcomeBy
        self.convertedOn = convertedOn
        self.customerNo = customerNo
        self.customerName = customerName
        self.vin = vin
        self.plate = plate
    }
}

extension Reminder {
    /// Every key present, null when empty: API clients read `outcome` and friends without guessing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(storeId, forKey: .storeId)
        try container.encode(type, forKey: .type)
        try container.encode(key, forKey: .key)
        try container.encode(customerId, forKey: .customerId)
        try container.encode(vehicleId, forKey: .vehicleId)
        try container.encode(ownerId, forKey: .ownerId)
        try container.encode(ownerTeamId, forKey: .ownerTeamId)
        try container.encode(dueDate, forKey: .dueDate)
        try container.encode(createdOn, forKey: .createdOn)
        try container.encode(channel, forKey: .channel)
        try container.encode(reason, forKey: .reason)
        try container.encode(basis, forKey: .basis)
        try container.encode(status, forKey: .status)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(outcomeNote, forKey: .outcomeNote)
        try container.encode(outcomeBy, forKey: .outcomeBy)
        try container.encode(convertedOn, forKey: .convertedOn)
        try container.encode(customerNo, forKey: .customerNo)
        try container.encode(customerName, forKey: .customerName)
        try container.encode(vin, forKey: .vin)
        try container.encode(plate, forKey: .plate)
        try container.encode(valueClass, forKey: .valueClass)
    }
}

/// One daily run of a store's rules: how many reminders each rule created, how many were there already.
public struct ReminderRun: Sendable, Equatable, Codable {
    public enum Trigger: String, Sendable, Codable {
        case cli, daily, manual
    }

    public var id: Int64
    public var storeId: Int64
    public var asOf: LocalDate
    public var trigger: Trigger
    /// By rule type, every type present.
    public var created: [String: Int]
    public var alreadyExisting: Int
    /// Reminders this run closed as converted.
    public var converted: Int
    public var durationMs: Int64

    public init(
        id: Int64, storeId: Int64, asOf: LocalDate, trigger: Trigger, created: [String: Int], alreadyExisting: Int,
        converted: Int, durationMs: Int64
    ) {
        self.id = id
        self.storeId = storeId
        self.asOf = asOf
        self.trigger = trigger
        self.created = created
        self.alreadyExisting = alreadyExisting
        self.converted = converted
        self.durationMs = durationMs
    }
}

/// The filters of the reminder list and `GET /api/v1/reminders`.
public struct ReminderQuery: Sendable, Equatable {
    public var storeId: Int64?
    public var type: ReminderType?
    public var status: ReminderStatus?
    /// With `teamId` too: the advisor's own reminders and their team's (an advisor's task list).
    public var ownerId: Int64?
    public var teamId: Int64? = nil
    public var customerNo: String?
    public var vin: String?
    public var dueFrom: LocalDate?
    public var dueTo: LocalDate?
    public var limit: Int
    /// The last (due date, id) of the page before.
    public var cursor: String?
    /// Set: the day's work in priority order instead of by due date, one page: what is due by that day
    /// first, then the more valuable customers (A, B, C, D, unclassified), then the earlier due date.
    public var priorityAsOf: LocalDate? = nil

    public init(
        storeId: Int64? = nil, type: ReminderType? = nil, status: ReminderStatus? = nil, ownerId: Int64? = nil,
        customerNo: String? = nil, vin: String? = nil, dueFrom: LocalDate? = nil, dueTo: LocalDate? = nil,
        limit: Int = 50, cursor: String? = nil
    ) {
        self.storeId = storeId
        self.type = type
        self.status = status
        self.ownerId = ownerId
        self.customerNo = customerNo
        self.vin = vin
        self.dueFrom = dueFrom
        self.dueTo = dueTo
        self.limit = limit
        self.cursor = cursor
    }
}
