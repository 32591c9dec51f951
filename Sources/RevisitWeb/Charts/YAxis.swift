import Foundation

/// The value axis of the cartesian charts: nice ticks from 0, labels on the left and horizontal gridlines.
struct YAxis: Sendable {
    let ticks: [Double]
    let format: ChartValueFormat

    init(maximum: Double, format: ChartValueFormat) {
        self.ticks = SVGChart.niceTicks(maximum: maximum, integral: format.integralTicks)
        self.format = format
    }

    /// The value at the top of the plot (the last tick), never 0 so positions can divide by it.
    var top: Double { max(ticks.last ?? 1, .leastNonzeroMagnitude) }

    /// Room the widest tick label needs left of the plot.
    var labelWidth: Double { ticks.map { SVGChart.textWidth(format.tick($0)) }.max() ?? 0 }

    /// The y coordinate of `value` in a plot spanning `top`…`bottom`, clamped to the plot.
    func position(_ value: Double, top plotTop: Double, bottom plotBottom: Double) -> Double {
        let fraction = value.isFinite ? min(max(value / top, 0), 1) : 0
        return plotBottom - fraction * (plotBottom - plotTop)
    }

    /// Gridlines and tick labels; the baseline is drawn separately, over the bars.
    func grid(left: Double, right: Double, top plotTop: Double, bottom plotBottom: Double) -> String {
        var out = "<g class=\"y-axis\">"
        for tick in ticks {
            let y = position(tick, top: plotTop, bottom: plotBottom)
            if tick > 0 {
                out +=
                    "<line x1=\"\(SVGChart.num(left))\" y1=\"\(SVGChart.num(y))\" x2=\"\(SVGChart.num(right))\" "
                    + "y2=\"\(SVGChart.num(y))\" stroke=\"\(SVGChart.gridColor)\"/>"
            }
            out += SVGChart.text(
                format.tick(tick), x: left - 6, y: y + 4, anchor: "end", extra: "fill=\"\(SVGChart.mutedColor)\"")
        }
        return out + "</g>"
    }

    /// The zero line along the bottom of the plot.
    static func baseline(left: Double, right: Double, y: Double) -> String {
        "<line x1=\"\(SVGChart.num(left))\" y1=\"\(SVGChart.num(y))\" x2=\"\(SVGChart.num(right))\" "
            + "y2=\"\(SVGChart.num(y))\" stroke=\"\(SVGChart.axisColor)\"/>"
    }
}
