import Foundation

/// One line of a `LineChart`: a value per x label; nil (or a missing tail) leaves a gap in the line.
struct ChartLine: Sendable, Equatable {
    var name: String
    var values: [Double?]
    /// Palette colour by position when nil.
    var color: String?

    init(name: String, values: [Double?], color: String? = nil) {
        self.name = name
        self.values = values
        self.color = color
    }
}
