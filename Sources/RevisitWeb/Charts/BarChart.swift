import Foundation

/// Vertical bars with a nice value axis, e.g. repair orders per day or customers per store.
/// Few bars get their value written on top; bars with an `href` link to the matching filtered list.
struct BarChart: Sendable {
    var title: String
    var bars: [ChartBar]
    var valueFormat: ChartValueFormat
    var width: Int
    var height: Int
    /// Shown instead of a plot when there is no bar or every value is 0.
    var emptyText: String
    /// Pages that show the title as a heading can hide it here; it stays the accessible name.
    var showsTitle = true

    init(
        title: String, bars: [ChartBar], valueFormat: ChartValueFormat = .integer, width: Int = 640,
        height: Int = 280, emptyText: String = "—"
    ) {
        self.title = title
        self.bars = bars
        self.valueFormat = valueFormat
        self.width = width
        self.height = height
        self.emptyText = emptyText
    }

    func svg() -> String {
        let values = bars.map { SVGChart.clean($0.value) }
        guard let maximum = values.max(), maximum > 0 else {
            return SVGChart.empty(title: title, text: emptyText, width: max(width, 200), showsTitle: showsTitle)
        }
        let axis = YAxis(maximum: maximum, format: valueFormat)
        let labels = values.map { valueFormat.format($0) }
        var layout = ChartLayout(
            width: width, height: height, above: SVGChart.titleSpace(showsTitle) + 6, axis: axis,
            labels: bars.map(\.label), bands: true)
        // Values on top of the bars only when they are few and every label fits over its bar.
        let widestValue = labels.map { SVGChart.textWidth($0, size: 11) }.max() ?? 0
        let showsValues = bars.count <= 12 && widestValue <= layout.spacing - 2
        if showsValues {
            layout = ChartLayout(
                width: width, height: height, above: SVGChart.titleSpace(showsTitle) + 16, axis: axis,
                labels: bars.map(\.label), bands: true)
        }
        let barWidth = min(layout.spacing * 0.72, 56)
        var out = SVGChart.open(width: layout.width, height: layout.height, title: title)
        if showsTitle { out += SVGChart.heading(title, width: layout.width) }
        out += axis.grid(left: layout.left, right: layout.right, top: layout.top, bottom: layout.bottom)
        out += "<g class=\"bars\">"
        for (index, bar) in bars.enumerated() {
            let y = axis.position(values[index], top: layout.top, bottom: layout.bottom)
            let shape = SVGChart.rect(
                kind: "bar", x: layout.x(index) - barWidth / 2, y: y, width: barWidth, height: layout.bottom - y,
                fill: bar.color ?? SVGChart.palette[0], tip: "\(bar.label): \(labels[index])")
            out += SVGChart.linked(shape, href: bar.href)
            if showsValues {
                out += SVGChart.text(
                    labels[index], x: layout.x(index), y: y - 5, anchor: "middle",
                    extra: "font-size=\"11\" fill=\"\(SVGChart.textColor)\"")
            }
        }
        out += "</g>" + YAxis.baseline(left: layout.left, right: layout.right, y: layout.bottom)
        return out + layout.categoryLabels() + "</svg>"
    }
}
