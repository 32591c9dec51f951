import Foundation

/// Lines over shared x labels, e.g. cohort retention by month. A missing value breaks the line, so a cohort
/// that has not reached month 9 simply stops; every point is a small circle with a tooltip.
struct LineChart: Sendable {
    var title: String
    var xLabels: [String]
    var series: [ChartLine]
    var valueFormat: ChartValueFormat
    var width: Int
    var height: Int
    var emptyText: String
    var showsTitle = true

    init(
        title: String, xLabels: [String], series: [ChartLine], valueFormat: ChartValueFormat = .integer,
        width: Int = 640, height: Int = 280, emptyText: String = "—"
    ) {
        self.title = title
        self.xLabels = xLabels
        self.series = series
        self.valueFormat = valueFormat
        self.width = width
        self.height = height
        self.emptyText = emptyText
    }

    func svg() -> String {
        let count = xLabels.count
        // Values past the last x label are ignored; negatives clamp to the zero baseline like bars.
        let values = series.map { line in
            (0..<count).map { index -> Double? in
                guard index < line.values.count, let value = line.values[index], value.isFinite else { return nil }
                return max(0, value)
            }
        }
        guard let maximum = values.joined().compactMap({ $0 }).max(), maximum > 0 else {
            return SVGChart.empty(title: title, text: emptyText, width: max(width, 200), showsTitle: showsTitle)
        }
        let axis = YAxis(maximum: maximum, format: valueFormat)
        let palette = SVGChart.palette
        // Past the palette, colours repeat dashed so twelve cohorts stay distinguishable.
        let styles = series.indices.map {
            (color: series[$0].color ?? palette[$0 % palette.count], dashed: $0 >= palette.count)
        }
        let legend = ChartLegend(
            entries: series.count > 1
                ? series.indices.map {
                    .init(name: series[$0].name, color: styles[$0].color, isLine: true, isDashed: styles[$0].dashed)
                } : [])
        let legendTop = SVGChart.titleSpace(showsTitle)
        let legendHeight = legend.height(width: Double(max(width, 200)) - 8)
        let layout = ChartLayout(
            width: width, height: height, above: legendTop + legendHeight + 10, axis: axis, labels: xLabels,
            bands: false)
        // Dense series (e.g. 90 days) get plain dots: white rims would make the line look beaded.
        let dense = layout.spacing < 8
        let pointStyle = dense ? "r=\"1.5\"" : "r=\"3\" stroke=\"#ffffff\" stroke-width=\"1\""
        var out = SVGChart.open(width: layout.width, height: layout.height, title: title)
        if showsTitle { out += SVGChart.heading(title, width: layout.width) }
        out += legend.render(x: 4, y: legendTop, width: Double(layout.width) - 8)
        out += axis.grid(left: layout.left, right: layout.right, top: layout.top, bottom: layout.bottom)
        out += YAxis.baseline(left: layout.left, right: layout.right, y: layout.bottom)
        for (index, line) in series.enumerated() {
            let color = SVGChart.escape(styles[index].color)
            let points = values[index].enumerated().map { position, value in
                value.map { (x: layout.x(position), y: axis.position($0, top: layout.top, bottom: layout.bottom)) }
            }
            out += "<g class=\"series\">"
            for run in Self.runs(points) where run.count > 1 {
                let coordinates = run.map { "\(SVGChart.num($0.x)),\(SVGChart.num($0.y))" }.joined(separator: " ")
                out +=
                    "<polyline class=\"line\" points=\"\(coordinates)\" fill=\"none\" stroke=\"\(color)\" "
                    + "stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
                    + (styles[index].dashed ? " stroke-dasharray=\"6 4\"" : "")
                    + "><title>\(SVGChart.escape(line.name))</title></polyline>"
            }
            for (position, point) in points.enumerated() {
                guard let point, let value = values[index][position] else { continue }
                let tip = "\(line.name) · \(xLabels[position]): \(valueFormat.format(value))"
                out +=
                    "<circle class=\"point\" cx=\"\(SVGChart.num(point.x))\" cy=\"\(SVGChart.num(point.y))\" "
                    + "\(pointStyle) fill=\"\(color)\">"
                    + "<title>\(SVGChart.escape(tip))</title></circle>"
            }
            out += "</g>"
        }
        return out + layout.categoryLabels() + "</svg>"
    }

    /// Consecutive present points; each run becomes one polyline.
    private static func runs<Point>(_ points: [Point?]) -> [[Point]] {
        var runs: [[Point]] = [[]]
        for point in points {
            if let point {
                runs[runs.count - 1].append(point)
            } else if !(runs.last?.isEmpty ?? true) {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }
}
