import Foundation

/// Colour maths for the charts: a single-hue sequential scale and readable text on coloured fills.
enum ChartColor {
    /// Light to dark blue (after ColorBrewer "Blues"); the lightest stop stays visible on white.
    static let blues = ["#eef4fb", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]

    /// The colour at `fraction` (0 = lightest, 1 = darkest) along `blues`, interpolated in RGB.
    static func sequential(_ fraction: Double) -> String {
        let clamped = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let position = clamped * Double(blues.count - 1)
        let lower = min(Int(position), blues.count - 2)
        let mix = position - Double(lower)
        guard let from = rgb(blues[lower]), let to = rgb(blues[lower + 1]) else { return blues[0] }
        return hex(
            (
                from.red + (to.red - from.red) * mix, from.green + (to.green - from.green) * mix,
                from.blue + (to.blue - from.blue) * mix
            ))
    }

    /// White or near-black, whichever contrasts more with `fill`; dark when the fill is not a #rrggbb colour.
    static func text(on fill: String) -> String {
        guard let color = rgb(fill) else { return "#111827" }
        let luminance = 0.2126 * linear(color.red) + 0.7152 * linear(color.green) + 0.0722 * linear(color.blue)
        let againstWhite = 1.05 / (luminance + 0.05)
        let againstDark = (luminance + 0.05) / 0.058
        return againstWhite >= againstDark ? "#ffffff" : "#111827"
    }

    static func rgb(_ hex: String) -> (red: Double, green: Double, blue: Double)? {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = Int(digits, radix: 16) else { return nil }
        return (Double(value >> 16 & 0xFF), Double(value >> 8 & 0xFF), Double(value & 0xFF))
    }

    private static func hex(_ color: (Double, Double, Double)) -> String {
        let parts = [color.0, color.1, color.2].map { component -> String in
            let byte = String(Int(min(max(component, 0), 255).rounded()), radix: 16)
            return byte.count == 1 ? "0" + byte : byte
        }
        return "#" + parts.joined()
    }

    /// sRGB channel (0…255) to linear light, for WCAG relative luminance.
    private static func linear(_ channel: Double) -> Double {
        let scaled = channel / 255
        return scaled <= 0.039_28 ? scaled / 12.92 : pow((scaled + 0.055) / 1.055, 2.4)
    }
}
