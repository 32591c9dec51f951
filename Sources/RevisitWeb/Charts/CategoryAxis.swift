import Foundation

/// Category labels under a plot. They are written level when they fit, tilted when a few long ones do not,
/// and thinned to every k-th when there are many (counted from the last label, usually the latest day, unless
/// `thinsFromStart`, which suits fixed scales such as hours 0, 2, 4 …).
struct CategoryAxis: Sendable {
    let labels: [String]
    /// Show every `step`-th label; 1 shows all.
    let step: Int
    let rotated: Bool
    let thinsFromStart: Bool

    /// Tilted labels are cut to this width so they cannot eat the whole chart.
    static let maxRotatedWidth = 110.0
    private static let gap = 8.0

    /// Lays out `labels` whose centres are `spacing` apart; without `allowsRotation` crowded labels are only thinned.
    init(labels: [String], spacing: Double, allowsRotation: Bool = true, thinsFromStart: Bool = false) {
        let widest = labels.map { SVGChart.textWidth($0) }.max() ?? 0
        let safeSpacing = spacing.isFinite ? max(spacing, 0.5) : 0.5
        let needed = max(1, Int(((widest + Self.gap) / safeSpacing).rounded(.up)))
        self.labels = labels
        self.thinsFromStart = thinsFromStart
        // At 45° neighbours sit spacing·sin45 apart vertically; that must clear a 12 px line.
        self.rotated = allowsRotation && needed > 1 && safeSpacing >= 19
        self.step = rotated ? 1 : needed
    }

    private var shownWidths: [Double] {
        labels.map { min(SVGChart.textWidth($0), rotated ? Self.maxRotatedWidth : .infinity) }
    }

    /// Vertical room below the plot's bottom edge.
    var height: Double {
        guard rotated else { return labels.isEmpty ? 6 : 22 }
        return (shownWidths.max() ?? 0) * 0.71 + 18
    }

    /// How far tilted labels reach left of the first centre, so the caller can widen the left margin.
    var leftReach: Double { rotated ? (shownWidths.first ?? 0) * 0.71 + 4 : 0 }

    /// Labels centred on `centres`, below `baseline`, kept inside a chart `chartWidth` wide.
    func render(centres: [Double], baseline: Double, chartWidth: Double) -> String {
        var out = "<g class=\"x-axis\" fill=\"\(SVGChart.mutedColor)\">"
        for (index, label) in labels.enumerated() where index < centres.count {
            guard (thinsFromStart ? index : labels.count - 1 - index) % step == 0 else { continue }
            if rotated {
                let shown = SVGChart.truncate(label, maxWidth: Self.maxRotatedWidth)
                let x = SVGChart.num(centres[index] + 4)
                let y = SVGChart.num(baseline + 12)
                out +=
                    "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"end\" transform=\"rotate(-45 \(x) \(y))\">"
                    + SVGChart.escape(shown) + "</text>"
            } else {
                let half = SVGChart.textWidth(label) / 2
                let x = min(max(centres[index], half + 2), chartWidth - half - 2)
                out += SVGChart.text(label, x: x, y: baseline + 16, anchor: "middle")
            }
        }
        return out + "</g>"
    }
}
