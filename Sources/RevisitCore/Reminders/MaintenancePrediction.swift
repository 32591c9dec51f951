import Foundation

/// An odometer reading: a repair order's mileage in, or the vehicle's last known mileage.
public struct MileageReading: Sendable, Equatable {
    public var date: LocalDate
    public var km: Int

    public init(date: LocalDate, km: Int) {
        self.date = date
        self.km = km
    }
}

/// When a vehicle's next maintenance falls due (DOMAIN §5): by km at its own pace, or by months since
/// the last maintenance, whichever comes first.
public struct MaintenancePrediction: Sendable, Equatable {
    public var lastMaintenance: LocalDate
    public var lastMaintenanceKm: Int?
    public var kmPerDay: Double
    /// False when the store default pace stood in for too little history.
    public var paceFromHistory: Bool
    public var dueByKm: LocalDate?
    public var dueByMonths: LocalDate
    public var due: LocalDate

    /// "last maintenance 2025-03-02 at 41,200 km; 38 km/day; due by km on 2025-09-14"
    public var basis: [String: String] {
        var basis = [
            "lastMaintenance": lastMaintenance.description, "kmPerDay": String(Int(kmPerDay.rounded())),
            "pace": paceFromHistory ? "history" : "default", "dueByMonths": dueByMonths.description,
            "due": due.description, "dueBy": dueByKm.map { $0 <= dueByMonths } == true ? "km" : "months",
        ]
        if let km = lastMaintenanceKm { basis["lastMaintenanceKm"] = String(km) }
        if let day = dueByKm { basis["dueByKm"] = day.description }
        return basis
    }
}

public enum MaintenanceRule {
    /// The pace from the last readings: km driven over days passed between the first and the last of
    /// them. A reading below an earlier one (an odometer replaced, a typo) starts the count again from
    /// it, so the roll-back never gives a negative pace. Too little history (under `minDays` between
    /// the readings used, or no km driven) gives nil.
    public static func kmPerDay(_ readings: [MileageReading], use count: Int = 5, minDays: Int = 30) -> Double? {
        var run: [MileageReading] = []
        for reading in readings.sorted(by: { $0.date < $1.date }) {
            if let last = run.last, reading.km < last.km { run.removeAll() }
            run.append(reading)
        }
        let used = run.suffix(max(count, 2))
        guard let first = used.first, let last = used.last else { return nil }
        let days = first.date.days(to: last.date)
        guard days >= minDays, last.km > first.km else { return nil }
        return Double(last.km - first.km) / Double(days)
    }

    /// The next maintenance after the last one: by km at the vehicle's pace (from its latest reading)
    /// or by months, whichever first.
    public static func predict(
        lastMaintenance: MileageReading?, lastMaintenanceDate: LocalDate, readings: [MileageReading],
        settings: ReminderSettings
    ) -> MaintenancePrediction {
        let measured = kmPerDay(readings, use: settings.readingsUsed)
        let pace = measured ?? Double(settings.defaultKmPerDay)
        let byMonths = lastMaintenanceDate.addingMonths(settings.maintenanceMonths)
        var byKm: LocalDate?
        if let base = lastMaintenance {
            // From the newest reading, which may be later than the maintenance itself.
            let latest = readings.filter { $0.date >= base.date && $0.km >= base.km }.max { $0.date < $1.date } ?? base
            let target = base.km + settings.maintenanceKm
            let days = Int((Double(target - latest.km) / pace).rounded(.up))
            byKm = latest.date.addingDays(days)
        }
        return MaintenancePrediction(
            lastMaintenance: lastMaintenanceDate, lastMaintenanceKm: lastMaintenance?.km, kmPerDay: pace,
            paceFromHistory: measured != nil, dueByKm: byKm, dueByMonths: byMonths,
            due: min(byKm ?? byMonths, byMonths))
    }
}
