import Foundation
import RevisitCore

/// A table beside a chart: shown on the page and downloadable as CSV or XLSX with the same cells, so
/// what a manager exports is exactly what they saw.
struct DashboardTable {
    struct Cell {
        let text: String
        let href: String?
        let numeric: Bool
        let export: XLSXWriter.Cell

        static func text(_ text: String, href: String? = nil) -> Cell {
            Cell(text: text, href: href, numeric: false, export: .text(text))
        }

        static func integer(_ value: Int, href: String? = nil) -> Cell {
            Cell(text: NumberText.integer(value), href: href, numeric: true, export: .integer(Int64(value)))
        }

        /// A share shown as a percentage and exported as the fraction, so a spreadsheet can sum it.
        static func percent(_ value: Double?) -> Cell {
            Cell(
                text: value.map(NumberText.percent) ?? "—", href: nil, numeric: true,
                export: value.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .text(""))
        }

        static func yuan(_ value: Double) -> Cell {
            Cell(
                text: NumberText.yuan(value), href: nil, numeric: true, export: .number((value * 100).rounded() / 100))
        }

        static func decimal(_ value: Double, digits: Int = 2) -> Cell {
            let scale = pow(10, Double(digits))
            return Cell(
                text: String(format: "%.\(digits)f", value), href: nil, numeric: true,
                export: .number((value * scale).rounded() / scale))
        }
    }

    struct Row {
        let cells: [Cell]
    }

    let key: String
    let title: String
    let header: [String]
    let rows: [Row]
    var csvHref: String
    var xlsxHref: String
    /// Stored, not computed: templates see stored properties only.
    let empty: Bool

    init(key: String, title: String, header: [String], rows: [[Cell]], exportPath: String) {
        self.key = key
        self.title = title
        self.header = header
        self.rows = rows.map(Row.init)
        empty = rows.isEmpty
        csvHref = "\(exportPath)?table=\(key)&format=csv"
        xlsxHref = "\(exportPath)?table=\(key)&format=xlsx"
    }
}

/// Numbers as Chinese and English readers both expect them: thousands separators, one decimal in
/// percentages, yuan with the ¥ sign.
enum NumberText {
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "—" }
        return String(format: "%.1f%%", fraction * 100)
    }

    static func yuan(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let rounded = Int(value.rounded())
        return (rounded < 0 ? "-¥" : "¥") + integer(abs(rounded))
    }

    static func yuan(fen: Int64) -> String { yuan(Double(fen) / 100) }
}
