import Foundation

/// DOMAIN §5's rules as pure functions of a record's facts and the day: each returns the reminders due
/// that day. Run every day, a rule returns the same key again until its window closes; storage keeps
/// the first and counts the rest as already existing.
public enum ReminderRules {
    public static func vehicle(
        _ facts: VehicleFacts, asOf: LocalDate, settings: ReminderSettings
    ) -> [ReminderCandidate] {
        var found: [ReminderCandidate] = []
        let id = facts.vehicleId
        func add(_ type: ReminderType, _ key: String, due: LocalDate, _ reason: String, _ args: [String: String] = [:])
        {
            guard settings.isOn(type) else { return }
            found.append(
                ReminderCandidate(
                    type: type, key: "\(type.rawValue):v\(id):\(key)", customerId: facts.customerId, vehicleId: id,
                    dueDate: due, reason: reason, args: args))
        }
        func within(_ due: LocalDate, lead: Int) -> Bool {
            asOf >= due.addingDays(-lead) && asOf <= due.addingDays(settings.overdueDays)
        }
        let schedule = settings.schedule(brand: facts.brand)
        if let delivery = facts.deliveryDate, facts.maintenanceVisits < 2 {
            // A new car's first two services follow the brand's schedule from delivery.
            let (months, km, number) =
                facts.maintenanceVisits == 0
                ? (schedule.firstMonths, schedule.firstKm, 1) : (schedule.secondMonths, schedule.secondKm, 2)
            let pace = MaintenanceRule.kmPerDay(facts.readings, use: settings.readingsUsed)
            let byMonths = delivery.addingMonths(months)
            let byKm = pace.map { delivery.addingDays(Int((Double(km) / $0).rounded(.up))) }
            let due = min(byKm ?? byMonths, byMonths)
            if within(due, lead: settings.maintenanceLeadDays) {
                add(
                    .firstMaintenance, String(number), due: due, "first_maintenance.\(number)",
                    [
                        "delivery": delivery.description, "months": String(months), "km": String(km),
                        "due": due.description, "dueBy": byKm.map { $0 <= byMonths } == true ? "km" : "months",
                    ])
            }
        } else if let last = facts.lastMaintenance {
            let prediction = MaintenanceRule.predict(
                lastMaintenance: facts.lastMaintenanceKm.map { MileageReading(date: last, km: $0) },
                lastMaintenanceDate: last, readings: facts.readings, settings: settings)
            if within(prediction.due, lead: settings.maintenanceLeadDays) {
                add(.maintenance, last.description, due: prediction.due, "maintenance", prediction.basis)
            }
        }
        if let expiry = facts.insuranceExpiry, asOf <= expiry {
            // Of the leads already reached, only the latest: a store that starts late is not told three times.
            if let lead = settings.insuranceLeadDays.sorted().first(where: { asOf >= expiry.addingDays(-$0) }) {
                add(.insurance, "\(expiry):\(lead)", due: expiry, "insurance", ["expiry": expiry.description])
            }
        }
        if let due = facts.inspectionDue, asOf >= due.addingDays(-settings.inspectionLeadDays), asOf <= due {
            add(.inspection, due.description, due: due, "inspection", ["due": due.description])
        }
        if let end = facts.warrantyEndDate, asOf >= end.addingDays(-settings.warrantyLeadDays), asOf <= end {
            add(.warranty, end.description, due: end, "warranty", ["end": end.description])
        }
        return found
    }

    public static func customer(
        _ facts: CustomerFacts, asOf: LocalDate, settings: ReminderSettings
    ) -> [ReminderCandidate] {
        var found: [ReminderCandidate] = []
        let id = facts.customerId
        func add(_ type: ReminderType, _ key: String, due: LocalDate, _ reason: String, _ args: [String: String] = [:])
        {
            guard settings.isOn(type) else { return }
            found.append(
                ReminderCandidate(
                    type: type, key: "\(type.rawValue):c\(id):\(key)", customerId: id, vehicleId: nil, dueDate: due,
                    reason: reason, args: args))
        }
        if let review = facts.licenceReviewDate, asOf >= review.addingDays(-settings.licenceLeadDays), asOf <= review {
            add(.licence, review.description, due: review, "licence", ["due": review.description])
        }
        // Once per stage entered: the last visit marks the episode, so a customer who came back and
        // slipped again is reminded again.
        if let stage = facts.churnStage, let last = facts.lastVisit, settings.winbackStages.contains(stage) {
            add(
                .winback, "\(stage.rawValue):\(last)", due: asOf, "winback.\(stage.rawValue)",
                ["lastVisit": last.description])
        }
        guard let stage = facts.churnStage, settings.greetingStages.contains(stage) else { return found }
        if settings.birthdayGreeting, let birthday = facts.birthday, isAnniversary(of: birthday, on: asOf) {
            add(.greeting, "birthday:\(asOf.year)", due: asOf, "greeting.birthday")
        }
        for festival in Festival.festivals(on: asOf) where settings.festivals.contains(festival.rawValue) {
            add(
                .greeting, "\(festival.rawValue):\(asOf.year)", due: asOf, "greeting.festival",
                ["festival": festival.rawValue])
        }
        for text in settings.seasonalCare {
            guard let (month, day) = ReminderSettings.monthDay(text), asOf.month == month, asOf.day == day else {
                continue
            }
            add(.greeting, "season-\(text):\(asOf.year)", due: asOf, "greeting.season", ["season": text])
        }
        return found
    }

    /// A purchase anniversary of a vehicle whose owner is in a greeting stage.
    public static func anniversary(
        _ facts: VehicleFacts, ownerStage: ChurnStage?, asOf: LocalDate, settings: ReminderSettings
    ) -> ReminderCandidate? {
        guard settings.isOn(.greeting), settings.anniversaryGreeting, let delivery = facts.deliveryDate,
            let stage = ownerStage, settings.greetingStages.contains(stage), delivery.year < asOf.year,
            isAnniversary(of: delivery, on: asOf)
        else { return nil }
        return ReminderCandidate(
            type: .greeting, key: "greeting:v\(facts.vehicleId):anniversary:\(asOf.year)", customerId: facts.customerId,
            vehicleId: facts.vehicleId, dueDate: asOf, reason: "greeting.anniversary",
            args: ["years": String(asOf.year - delivery.year), "delivery": delivery.description])
    }

    /// The same month and day; 29 February is kept on the 28th in other years.
    public static func isAnniversary(of date: LocalDate, on day: LocalDate) -> Bool {
        guard date.month == day.month else { return false }
        if date.month == 2, date.day == 29, LocalDate(year: day.year, month: 2, day: 29) == nil { return day.day == 28 }
        return date.day == day.day
    }
}
