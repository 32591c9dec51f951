import Foundation

/// One layer of a `StackedBarChart`: a value per category, in category order.
struct ChartSeries: Sendable, Equatable {
    var name: String
    /// Missing trailing values count as 0.
    var values: [Double]
    /// Palette colour by position when nil.
    var color: String?
    /// Per-category links for this layer's segments; a nil entry falls back to the category's link.
    var hrefs: [String?]?

    init(name: String, values: [Double], color: String? = nil, hrefs: [String?]? = nil) {
        self.name = name
        self.values = values
        self.color = color
        self.hrefs = hrefs
    }
}
