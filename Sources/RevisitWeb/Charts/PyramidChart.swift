import Foundation

/// Customer value classes as a pyramid: the first level (A) on top, the last (D) at the base. Band widths follow
/// fixed pyramid geometry, not the counts, so a class of 200 next to one of 16,000 stays visible and clickable;
/// each band is labelled with its count and share of the total.
struct PyramidChart: Sendable {
    var title: String
    var levels: [ChartBar]
    var valueFormat: ChartValueFormat
    var width: Int
    var height: Int
    var emptyText: String
    var showsTitle = true

    init(
        title: String, levels: [ChartBar], valueFormat: ChartValueFormat = .integer, width: Int = 640,
        height: Int = 280, emptyText: String = "—"
    ) {
        self.title = title
        self.levels = levels
        self.valueFormat = valueFormat
        self.width = width
        self.height = height
        self.emptyText = emptyText
    }

    func svg() -> String {
        let values = levels.map { SVGChart.clean($0.value) }
        let total = values.reduce(0, +)
        let chartWidth = max(width, 200)
        guard total > 0 else {
            return SVGChart.empty(title: title, text: emptyText, width: chartWidth, showsTitle: showsTitle)
        }
        let count = Double(levels.count)
        let gap = 3.0
        let top = SVGChart.titleSpace(showsTitle) + 4
        let chartHeight = max(height, Int(top) + levels.count * 24 + 8)
        let bandHeight = (Double(chartHeight) - top - 8 - gap * (count - 1)) / count
        let details = values.map { "\(valueFormat.format($0)) (\(ChartValueFormat.percent.format($0 / total)))" }
        let labelWidths = levels.indices.map {
            SVGChart.textWidth(levels[$0].label) + 8 + SVGChart.textWidth(details[$0])
        }
        let widest = labelWidths.max() ?? 0
        // The base spans most of the chart; the apex is as narrow as the top label allows at its band's middle.
        let base = min(Double(chartWidth) - 16, max(Double(chartWidth) * 0.72, widest * 2 + 40))
        let apex = min(base, max(0, (widest + 20 - base * 0.5 / count) / (1 - 0.5 / count)))
        let centre = Double(chartWidth) / 2
        let span = Double(chartHeight) - 8 - top
        func halfWidth(at y: Double) -> Double { (apex + (base - apex) * (y - top) / span) / 2 }

        var out = SVGChart.open(width: chartWidth, height: chartHeight, title: title)
        if showsTitle { out += SVGChart.heading(title, width: chartWidth) }
        out += "<g class=\"levels\">"
        for (index, level) in levels.enumerated() {
            let upper = top + Double(index) * (bandHeight + gap)
            let lower = upper + bandHeight
            let (topHalf, bottomHalf) = (halfWidth(at: upper), halfWidth(at: lower))
            let corners = [
                (centre - topHalf, upper), (centre + topHalf, upper), (centre + bottomHalf, lower),
                (centre - bottomHalf, lower),
            ]
            let points = corners.map { "\(SVGChart.num($0.0)),\(SVGChart.num($0.1))" }.joined(separator: " ")
            // A (most valuable) darkest, fading towards the base.
            let shade = levels.count > 1 ? 0.95 - 0.65 * Double(index) / (count - 1) : 0.8
            let fill = level.color ?? ChartColor.sequential(shade)
            let tip = "\(level.label): \(details[index])"
            let band =
                "<polygon class=\"band\" points=\"\(points)\" fill=\"\(SVGChart.escape(fill))\">"
                + "<title>\(SVGChart.escape(tip))</title></polygon>"
            let label =
                "<text x=\"\(SVGChart.num(centre))\" y=\"\(SVGChart.num((upper + lower) / 2 + 4))\" "
                + "text-anchor=\"middle\" fill=\"\(ChartColor.text(on: fill))\" pointer-events=\"none\">"
                + "<tspan font-weight=\"bold\">\(SVGChart.escape(level.label))</tspan>"
                + "<tspan dx=\"8\">\(SVGChart.escape(details[index]))</tspan></text>"
            out += SVGChart.linked(band + label, href: level.href)
        }
        return out + "</g></svg>"
    }
}
