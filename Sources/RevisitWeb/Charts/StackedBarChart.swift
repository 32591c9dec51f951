import Foundation

/// Bars made of one segment per series, e.g. customers per churn stage per store. In `percent` mode each bar is
/// normalised to 100 % so shares compare across categories; tooltips always give the value and its share.
struct StackedBarChart: Sendable {
    var title: String
    var categories: [String]
    var series: [ChartSeries]
    var valueFormat: ChartValueFormat
    /// Link per category, used by segments whose series gives none.
    var categoryHrefs: [String?]?
    var percent: Bool
    var width: Int
    var height: Int
    var emptyText: String
    var showsTitle = true

    init(
        title: String, categories: [String], series: [ChartSeries], valueFormat: ChartValueFormat = .integer,
        categoryHrefs: [String?]? = nil, percent: Bool = false, width: Int = 640, height: Int = 280,
        emptyText: String = "—"
    ) {
        self.title = title
        self.categories = categories
        self.series = series
        self.valueFormat = valueFormat
        self.categoryHrefs = categoryHrefs
        self.percent = percent
        self.width = width
        self.height = height
        self.emptyText = emptyText
    }

    func svg() -> String {
        let count = categories.count
        let values = series.map { layer in
            (0..<count).map { index in index < layer.values.count ? SVGChart.clean(layer.values[index]) : 0 }
        }
        let totals = (0..<count).map { index in values.reduce(0) { $0 + $1[index] } }
        guard let largest = totals.max(), largest > 0 else {
            return SVGChart.empty(title: title, text: emptyText, width: max(width, 200), showsTitle: showsTitle)
        }
        let axis = YAxis(maximum: percent ? 1 : largest, format: percent ? .percent : valueFormat)
        let colors = series.indices.map { series[$0].color ?? SVGChart.palette[$0 % SVGChart.palette.count] }
        let legend = ChartLegend(
            entries: series.count > 1 ? series.indices.map { .init(name: series[$0].name, color: colors[$0]) } : [])
        let legendTop = SVGChart.titleSpace(showsTitle)
        let legendHeight = legend.height(width: Double(max(width, 200)) - 8)
        let totalLabels = totals.map { valueFormat.format($0) }
        var layout = ChartLayout(
            width: width, height: height, above: legendTop + legendHeight + 8, axis: axis, labels: categories,
            bands: true)
        let widestTotal = totalLabels.map { SVGChart.textWidth($0, size: 11) }.max() ?? 0
        let showsTotals = !percent && count <= 12 && widestTotal <= layout.spacing - 2
        if showsTotals {
            layout = ChartLayout(
                width: width, height: height, above: legendTop + legendHeight + 18, axis: axis,
                labels: categories, bands: true)
        }
        let barWidth = min(layout.spacing * 0.72, 64)
        var out = SVGChart.open(width: layout.width, height: layout.height, title: title)
        if showsTitle { out += SVGChart.heading(title, width: layout.width) }
        out += legend.render(x: 4, y: legendTop, width: Double(layout.width) - 8)
        out += axis.grid(left: layout.left, right: layout.right, top: layout.top, bottom: layout.bottom)
        out += "<g class=\"bars\">"
        for index in 0..<count where totals[index] > 0 {
            var below = 0.0
            for (layer, item) in series.enumerated() where values[layer][index] > 0 {
                let value = values[layer][index]
                let share = value / totals[index]
                let scale = percent ? totals[index] : 1
                let bottom = axis.position(below / scale, top: layout.top, bottom: layout.bottom)
                below += value
                let top = axis.position(below / scale, top: layout.top, bottom: layout.bottom)
                let tip =
                    "\(categories[index]) · \(item.name): \(valueFormat.format(value)) "
                    + "(\(ChartValueFormat.percent.format(share)))"
                let href =
                    item.hrefs.flatMap { index < $0.count ? $0[index] : nil }
                    ?? categoryHrefs.flatMap { index < $0.count ? $0[index] : nil }
                let shape = SVGChart.rect(
                    kind: "seg", x: layout.x(index) - barWidth / 2, y: top, width: barWidth, height: bottom - top,
                    fill: colors[layer], tip: tip)
                out += SVGChart.linked(shape, href: href)
                // Write the share (percent mode) or value inside the segment when it has room.
                let inside = percent ? ChartValueFormat.percent.format(share) : valueFormat.format(value)
                if bottom - top >= 16 && SVGChart.textWidth(inside, size: 11) <= barWidth - 4 {
                    out += SVGChart.text(
                        inside, x: layout.x(index), y: (top + bottom) / 2 + 4, anchor: "middle",
                        extra: "font-size=\"11\" fill=\"\(ChartColor.text(on: colors[layer]))\" pointer-events=\"none\""
                    )
                }
            }
            if showsTotals {
                out += SVGChart.text(
                    totalLabels[index], x: layout.x(index),
                    y: axis.position(totals[index], top: layout.top, bottom: layout.bottom) - 5, anchor: "middle",
                    extra: "font-size=\"11\" fill=\"\(SVGChart.textColor)\"")
            }
        }
        out += "</g>" + YAxis.baseline(left: layout.left, right: layout.right, y: layout.bottom)
        return out + layout.categoryLabels() + "</svg>"
    }
}
