import Foundation

/// One bar of a `BarChart` or one level of a `PyramidChart`.
struct ChartBar: Sendable, Equatable {
    var label: String
    var value: Double
    /// Where a click goes, typically the list filtered to this bar.
    var href: String?
    /// Any SVG colour; the palette's first colour (or the pyramid ramp) when nil.
    var color: String?

    init(label: String, value: Double, href: String? = nil, color: String? = nil) {
        self.label = label
        self.value = value
        self.href = href
        self.color = color
    }
}
