import Foundation

/// A legend above the plot: one swatch and name per series, flowing onto more rows when the chart is narrow.
struct ChartLegend: Sendable {
    struct Entry: Sendable {
        var name: String
        var color: String
        /// Lines get a stroke sample (dashed when the line is), bars a square.
        var isLine = false
        var isDashed = false
    }

    let entries: [Entry]
    static let rowHeight = 20.0
    private static let maxNameWidth = 150.0
    private static let swatchWidth = 18.0

    /// Total height when laid out in `width`; 0 without entries.
    func height(width: Double) -> Double { Double(rows(width: width).count) * Self.rowHeight }

    /// The legend with its first row's top at `y`, starting at `x`.
    func render(x: Double, y: Double, width: Double) -> String {
        var out = "<g class=\"legend\">"
        for (row, items) in rows(width: width).enumerated() {
            let middle = y + Double(row) * Self.rowHeight + Self.rowHeight / 2
            for (entry, offset) in items {
                out += swatch(entry, x: x + offset, middle: middle)
                out += SVGChart.text(
                    SVGChart.truncate(entry.name, maxWidth: Self.maxNameWidth), x: x + offset + Self.swatchWidth + 5,
                    y: middle + 4, extra: "fill=\"\(SVGChart.textColor)\"")
            }
        }
        return out + "</g>"
    }

    private func swatch(_ entry: Entry, x: Double, middle: Double) -> String {
        let color = SVGChart.escape(entry.color)
        guard entry.isLine else {
            return "<rect x=\"\(SVGChart.num(x + 4))\" y=\"\(SVGChart.num(middle - 5))\" width=\"10\" height=\"10\" "
                + "rx=\"2\" fill=\"\(color)\"/>"
        }
        let dash = entry.isDashed ? " stroke-dasharray=\"5 3\"" : ""
        let (start, end, y) = (SVGChart.num(x), SVGChart.num(x + Self.swatchWidth), SVGChart.num(middle))
        return "<line x1=\"\(start)\" y1=\"\(y)\" x2=\"\(end)\" y2=\"\(y)\" stroke=\"\(color)\" "
            + "stroke-width=\"2.5\"\(dash)/>"
    }

    /// Entries with their x offsets, greedily packed into rows no wider than `width`.
    private func rows(width: Double) -> [[(Entry, Double)]] {
        var rows: [[(Entry, Double)]] = []
        var current: [(Entry, Double)] = []
        var used = 0.0
        for entry in entries {
            let name = SVGChart.truncate(entry.name, maxWidth: Self.maxNameWidth)
            let itemWidth = Self.swatchWidth + 5 + SVGChart.textWidth(name) + 16
            if !current.isEmpty && used + itemWidth - 16 > width {
                rows.append(current)
                current = []
                used = 0
            }
            current.append((entry, used))
            used += itemWidth
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }
}
