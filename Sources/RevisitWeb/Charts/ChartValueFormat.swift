import Foundation

/// How chart values read on axes, labels and tooltips. Hand-rolled so output never depends on the server locale.
enum ChartValueFormat: Sendable, Equatable {
    /// Whole numbers with thousands separators: 12,345.
    case integer
    /// A fraction 0…1 shown as a percentage with one decimal: 0.123 → 12.3%.
    case percent
    /// Whole yuan: ¥1,234.
    case money
    /// Fixed decimals with thousands separators: `.decimal(2)` → 1,234.50.
    case decimal(Int)

    func format(_ value: Double) -> String {
        switch self {
        case .integer:
            return Self.grouped(value, digits: 0)
        case .percent:
            return Self.grouped(value * 100, digits: 1) + "%"
        case .money:
            let amount = Self.grouped(abs(value), digits: 0)
            return (value <= -0.5 ? "-¥" : "¥") + amount
        case .decimal(let digits):
            return Self.grouped(value, digits: min(max(digits, 0), 6))
        }
    }

    /// Axis ticks drop a useless ".0" so a percent axis reads 0%, 20%, 40%.
    func tick(_ value: Double) -> String {
        if case .percent = self, (value * 1000).rounded().truncatingRemainder(dividingBy: 10) == 0 {
            return Self.grouped(value * 100, digits: 0) + "%"
        }
        return format(value)
    }

    /// Counts and yuan never get fractional axis steps.
    var integralTicks: Bool {
        switch self {
        case .integer, .money: return true
        case .percent, .decimal: return false
        }
    }

    /// Rounds to `digits` decimals and groups the whole part by thousands; "—" when the value is not a number.
    static func grouped(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9e15 else { return "—" }
        let units = Int(scaled)
        var whole = String(units / scale)
        var groupedWhole = ""
        while whole.count > 3 {
            groupedWhole = "," + whole.suffix(3) + groupedWhole
            whole.removeLast(3)
        }
        groupedWhole = whole + groupedWhole
        let sign = value < 0 && units != 0 ? "-" : ""
        guard digits > 0 else { return sign + groupedWhole }
        let fraction = String(units % scale)
        return sign + groupedWhole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
