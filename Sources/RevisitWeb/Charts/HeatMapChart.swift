import Foundation

/// A grid of cells shaded light to dark by value, e.g. repair orders by weekday × hour.
/// Each cell has a "row column: value" tooltip; a small scale under the grid shows what the shades mean.
struct HeatMapChart: Sendable {
    var title: String
    var rowLabels: [String]
    var columnLabels: [String]
    /// `values[row][column]`; missing cells count as 0.
    var values: [[Double]]
    var valueFormat: ChartValueFormat
    var width: Int
    var height: Int
    var emptyText: String
    var showsTitle = true

    init(
        title: String, rowLabels: [String], columnLabels: [String], values: [[Double]],
        valueFormat: ChartValueFormat = .integer, width: Int = 640, height: Int = 280, emptyText: String = "—"
    ) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.valueFormat = valueFormat
        self.width = width
        self.height = height
        self.emptyText = emptyText
    }

    func svg() -> String {
        let grid = rowLabels.indices.map { row in
            columnLabels.indices.map { column -> Double in
                guard row < values.count, column < values[row].count, values[row][column].isFinite else { return 0 }
                return values[row][column]
            }
        }
        let all = grid.joined()
        let chartWidth = max(width, 200)
        // The scale starts at 0 (or below, for negative data) so a pale cell really means "few".
        guard let high = all.max(), let low = all.min().map({ min($0, 0) }), high > low else {
            return SVGChart.empty(title: title, text: emptyText, width: chartWidth, showsTitle: showsTitle)
        }
        let (rows, columns) = (Double(rowLabels.count), Double(columnLabels.count))
        let top = SVGChart.titleSpace(showsTitle) + 2
        let chartHeight = max(height, Int(top) + rowLabels.count * 10 + 56)
        let left = min((rowLabels.map { SVGChart.textWidth($0) }.max() ?? 0) + 12, Double(chartWidth) / 3)
        let right = Double(chartWidth) - 10
        let bottom = Double(chartHeight) - 50
        let (cellWidth, cellHeight) = ((right - left) / columns, (bottom - top) / rows)
        func fraction(_ value: Double) -> Double { (value - low) / (high - low) }

        var out = SVGChart.open(width: chartWidth, height: chartHeight, title: title)
        if showsTitle { out += SVGChart.heading(title, width: chartWidth) }
        out += "<g class=\"cells\">"
        for (row, rowLabel) in rowLabels.enumerated() {
            let y = top + Double(row) * cellHeight
            out += SVGChart.text(
                SVGChart.truncate(rowLabel, maxWidth: left - 12), x: left - 6, y: y + cellHeight / 2 + 4,
                anchor: "end", extra: "fill=\"\(SVGChart.mutedColor)\"")
            for (column, columnLabel) in columnLabels.enumerated() {
                let value = grid[row][column]
                // A 1 px white gap separates neighbouring cells.
                out += SVGChart.rect(
                    kind: "cell", x: left + Double(column) * cellWidth + 0.5, y: y + 0.5, width: cellWidth - 1,
                    height: cellHeight - 1, fill: ChartColor.sequential(fraction(value)),
                    tip: "\(rowLabel) \(columnLabel): \(valueFormat.format(value))")
            }
        }
        out += "</g>"
        out += CategoryAxis(labels: columnLabels, spacing: cellWidth, allowsRotation: false, thinsFromStart: true)
            .render(
                centres: columnLabels.indices.map { left + (Double($0) + 0.5) * cellWidth }, baseline: bottom - 2,
                chartWidth: Double(chartWidth))
        return out + scale(low: low, high: high, x: left, y: Double(chartHeight) - 22) + "</svg>"
    }

    /// "low ▭▭▭▭▭ high": nine swatches along the colour scale (no gradient ids that could clash on a page).
    private func scale(low: Double, high: Double, x: Double, y: Double) -> String {
        let lowText = valueFormat.format(low)
        var out =
            "<g class=\"scale\">" + SVGChart.text(lowText, x: x, y: y + 9, extra: "fill=\"\(SVGChart.mutedColor)\"")
        var position = x + SVGChart.textWidth(lowText) + 6
        for step in 0..<9 {
            out +=
                "<rect x=\"\(SVGChart.num(position))\" y=\"\(SVGChart.num(y))\" width=\"14\" height=\"10\" "
                + "fill=\"\(ChartColor.sequential(Double(step) / 8))\"/>"
            position += 14
        }
        out += SVGChart.text(
            valueFormat.format(high), x: position + 6, y: y + 9, extra: "fill=\"\(SVGChart.mutedColor)\"")
        return out + "</g>"
    }
}
