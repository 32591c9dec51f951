import Foundation

/// A store's reminder rules; every default is DOMAIN §5's, or, where DOMAIN is silent, what dealers'
/// manuals commonly use (said beside each).
public struct ReminderSettings: Sendable, Equatable, Codable {
    /// How a rule reaches the customer: a call task for the owning advisor, a queued message, or both.
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case task, message, both
    }

    /// Maintenance service intervals of a brand (首保/二保 from delivery).
    public struct Schedule: Sendable, Equatable, Codable {
        public var firstMonths: Int
        public var firstKm: Int
        /// Not in DOMAIN: the common 二保 is six months and 5,000 km after the first.
        public var secondMonths: Int
        public var secondKm: Int

        public init(firstMonths: Int = 3, firstKm: Int = 5_000, secondMonths: Int = 9, secondKm: Int = 10_000) {
            self.firstMonths = firstMonths
            self.firstKm = firstKm
            self.secondMonths = secondMonths
            self.secondKm = secondKm
        }
    }

    /// Rules switched off for the store.
    public var disabled: [ReminderType] = []
    public var channels: [String: Channel] = [ReminderType.greeting.rawValue: .message]
    public var maintenanceKm = 5_000
    public var maintenanceMonths = 6
    public var maintenanceLeadDays = 7
    public var defaultKmPerDay = 40
    /// The pace is read from at most this many of the latest readings.
    public var readingsUsed = 5
    public var schedule = Schedule()
    /// By brand name as the vehicle records carry it; others use `schedule`.
    public var brandSchedules: [String: Schedule] = [:]
    public var insuranceLeadDays = [30, 15, 7]
    public var inspectionLeadDays = 30
    public var licenceLeadDays = 30
    public var warrantyLeadDays = 30
    /// Not in DOMAIN: a due date missed this long ago is no longer worth a first reminder.
    public var overdueDays = 60
    public var winbackStages: [ChurnStage] = [.semiChurned, .atRisk, .churned]
    public var birthdayGreeting = true
    public var anniversaryGreeting = true
    public var festivals: [String] = ["spring_festival", "mid_autumn", "dragon_boat", "national_day"]
    /// Seasonal care as MM-DD: a summer and a winter check (not in DOMAIN beyond "seasonal care").
    public var seasonalCare = ["06-01", "11-15"]
    /// Greetings go to customers in these churn stages; a long-lost customer's festival text is noise.
    public var greetingStages: [ChurnStage] = [.active, .semiChurned, .atRisk]
    /// A repair order within this many days after a reminder converts it.
    public var conversionDays = 30
    public var dailyRun = true
    public var dailyHour = 6

    public init() {}

    /// A partial document keeps the defaults for what it leaves out (the API's PUT sends what changes).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let base = ReminderSettings()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        disabled = try value(.disabled, base.disabled)
        channels = try value(.channels, base.channels)
        maintenanceKm = try value(.maintenanceKm, base.maintenanceKm)
        maintenanceMonths = try value(.maintenanceMonths, base.maintenanceMonths)
        maintenanceLeadDays = try value(.maintenanceLeadDays, base.maintenanceLeadDays)
        defaultKmPerDay = try value(.defaultKmPerDay, base.defaultKmPerDay)
        readingsUsed = try value(.readingsUsed, base.readingsUsed)
        schedule = try value(.schedule, base.schedule)
        brandSchedules = try value(.brandSchedules, base.brandSchedules)
        insuranceLeadDays = try value(.insuranceLeadDays, base.insuranceLeadDays)
        inspectionLeadDays = try value(.inspectionLeadDays, base.inspectionLeadDays)
        licenceLeadDays = try value(.licenceLeadDays, base.licenceLeadDays)
        warrantyLeadDays = try value(.warrantyLeadDays, base.warrantyLeadDays)
        overdueDays = try value(.overdueDays, base.overdueDays)
        winbackStages = try value(.winbackStages, base.winbackStages)
        birthdayGreeting = try value(.birthdayGreeting, base.birthdayGreeting)
        anniversaryGreeting = try value(.anniversaryGreeting, base.anniversaryGreeting)
        festivals = try value(.festivals, base.festivals)
        seasonalCare = try value(.seasonalCare, base.seasonalCare)
        greetingStages = try value(.greetingStages, base.greetingStages)
        conversionDays = try value(.conversionDays, base.conversionDays)
        dailyRun = try value(.dailyRun, base.dailyRun)
        dailyHour = try value(.dailyHour, base.dailyHour)
    }

    public func isOn(_ type: ReminderType) -> Bool { !disabled.contains(type) }

    public func channel(_ type: ReminderType) -> Channel { channels[type.rawValue] ?? .task }

    public func schedule(brand: String) -> Schedule { brandSchedules[brand] ?? schedule }

    /// Thresholds that make sense together; a store's settings are checked with this before they are kept.
    public func validated() throws(RevisitError) -> ReminderSettings {
        func refuse(_ field: String) -> RevisitError {
            RevisitError(.validation, code: .invalidValue, field: field, args: ["field": field])
        }
        guard (500...100_000).contains(maintenanceKm) else { throw refuse("maintenanceKm") }
        guard (1...36).contains(maintenanceMonths) else { throw refuse("maintenanceMonths") }
        guard (0...60).contains(maintenanceLeadDays) else { throw refuse("maintenanceLeadDays") }
        guard (1...1_000).contains(defaultKmPerDay) else { throw refuse("defaultKmPerDay") }
        guard (2...20).contains(readingsUsed) else { throw refuse("readingsUsed") }
        guard !insuranceLeadDays.isEmpty, insuranceLeadDays.allSatisfy({ (0...120).contains($0) }) else {
            throw refuse("insuranceLeadDays")
        }
        for (field, days) in [
            ("inspectionLeadDays", inspectionLeadDays), ("licenceLeadDays", licenceLeadDays),
            ("warrantyLeadDays", warrantyLeadDays),
        ] where !(0...120).contains(days) {
            throw refuse(field)
        }
        guard (0...365).contains(overdueDays) else { throw refuse("overdueDays") }
        guard festivals.allSatisfy({ Festival(rawValue: $0) != nil }) else { throw refuse("festivals") }
        guard seasonalCare.allSatisfy({ Self.monthDay($0) != nil }) else { throw refuse("seasonalCare") }
        guard (1...365).contains(conversionDays) else { throw refuse("conversionDays") }
        guard (0...23).contains(dailyHour) else { throw refuse("dailyHour") }
        return self
    }

    /// "06-01" → (6, 1).
    public static func monthDay(_ text: String) -> (month: Int, day: Int)? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, LocalDate(year: 2024, month: parts[0], day: parts[1]) != nil else { return nil }
        return (parts[0], parts[1])
    }
}
