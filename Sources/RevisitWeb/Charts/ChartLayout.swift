import Foundation

/// Plot geometry shared by the cartesian charts: margins sized from the estimated label widths, category
/// positions, and a chart height grown when needed so the plot keeps at least 60 px.
struct ChartLayout: Sendable {
    let width: Int
    let height: Int
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double
    /// Distance between neighbouring category centres.
    let spacing: Double
    let categories: CategoryAxis
    private let inset: Double

    /// `bands` centres categories in equal slots (bars); otherwise the first and last sit near the plot edges
    /// (lines). `above` is the room taken above the plot (title, legend, value labels).
    init(width: Int, height: Int, above: Double, axis: YAxis, labels: [String], bands: Bool) {
        let chartWidth = max(width, 200)
        let count = max(labels.count, 1)
        let pad = 10.0
        var left = max(axis.labelWidth + 14, 36)
        let right = Double(chartWidth) - 14
        func spacing(_ left: Double) -> Double {
            let span = max(right - left, 1)
            return bands ? span / Double(count) : (count > 1 ? (span - 2 * pad) / Double(count - 1) : span)
        }
        var categories = CategoryAxis(labels: labels, spacing: spacing(left))
        // The first tilted label hangs left of its bar; widen the margin so it is not clipped.
        let firstCentre = bands ? spacing(left) / 2 : pad
        if categories.leftReach > left + firstCentre {
            left = min(categories.leftReach - firstCentre, Double(chartWidth) / 3)
            categories = CategoryAxis(labels: labels, spacing: spacing(left))
        }
        self.width = chartWidth
        self.height = max(height, Int((above + categories.height + 60).rounded(.up)))
        self.left = left
        self.right = right
        self.top = above
        self.bottom = Double(self.height) - categories.height
        self.spacing = spacing(left)
        self.categories = categories
        self.inset = bands ? self.spacing / 2 : (count > 1 ? pad : (right - left) / 2)
    }

    /// The x coordinate of category `index`.
    func x(_ index: Int) -> Double { left + inset + spacing * Double(index) }

    /// The category labels under the plot.
    func categoryLabels() -> String {
        categories.render(
            centres: (0..<categories.labels.count).map(x), baseline: bottom, chartWidth: Double(width))
    }
}
