import Foundation

/// Namespace for the server-rendered SVG charts: shared constants and markup helpers.
///
/// Charts return one `<svg>` element that pages inline with Mustache triple braces, so every text and
/// attribute goes through `escape` and every coordinate through `num` (no NaN, no locale, deterministic).
enum SVGChart {
    /// CJK fonts first so Chinese labels never fall back to boxes.
    static let fontFamily = #""WenQuanYi Zen Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif"#

    /// Okabe–Ito (colour-blind safe), ordered so the first colours differ most; yellow last, it is faint on white.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#555555", "#F0E442"]

    static let textColor = "#374151"
    static let mutedColor = "#6b7280"
    static let gridColor = "#e5e7eb"
    static let axisColor = "#9ca3af"

    /// Vertical room the visible title takes at the top of a chart.
    static func titleSpace(_ showsTitle: Bool) -> Double { showsTitle ? 30 : 8 }

    /// Escapes text for both element content and double-quoted attributes; drops characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal; anything non-finite becomes 0 so markup never holds NaN or inf.
    static func num(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "0" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// Bars cannot show negative or non-finite amounts; they count as 0.
    static func clean(_ value: Double) -> Double { value.isFinite ? max(0, value) : 0 }

    /// Estimated rendered width: 1 em per CJK/full-width character, ~0.58 em (7 px at 12 px) otherwise.
    static func textWidth(_ text: String, size: Double = 12) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars { ems += isWide(scalar) ? 1 : 0.58 }
        return ems * size
    }

    /// Shortens text with an ellipsis so that it fits `maxWidth` by the same estimate.
    static func truncate(_ text: String, maxWidth: Double, size: Double = 12) -> String {
        guard textWidth(text, size: size) > maxWidth else { return text }
        var kept = ""
        for character in text {
            if textWidth(kept + String(character) + "…", size: size) > maxWidth { break }
            kept.append(character)
        }
        return kept + "…"
    }

    /// 4–6 evenly spaced ticks from 0 covering `maximum`, with steps of 1, 2, 2.5 or 5 × 10ⁿ.
    static func niceTicks(maximum: Double, integral: Bool) -> [Double] {
        guard maximum.isFinite, maximum > 0 else { return [0, 1] }
        let raw = maximum / 5
        let magnitude = pow(10, floor(log10(raw)))
        // Counts cannot have a 2.5 step between 1 and 10.
        let steps: [Double] = integral && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]
        var step = magnitude * (steps.first { raw / magnitude <= $0 + 1e-9 } ?? 10)
        if integral { step = max(1, step.rounded(.up)) }
        let count = max(1, Int((maximum / step - 1e-9).rounded(.up)))
        return (0...count).map { Double($0) * step }
    }

    /// The root element and its accessible title; close with `</svg>`.
    static func open(width: Int, height: Int, title: String) -> String {
        let name = escape(title)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" "
            + "height=\"\(height)\" role=\"img\" aria-label=\"\(name)\" class=\"chart\" "
            + "font-family=\"\(escape(fontFamily))\" font-size=\"12\"><title>\(name)</title>"
    }

    /// The visible title at the top left, shortened to the chart width.
    static func heading(_ title: String, width: Int) -> String {
        let shown = truncate(title, maxWidth: Double(width) - 8, size: 14)
        return text(shown, x: 2, y: 18, extra: "font-size=\"14\" font-weight=\"bold\" fill=\"#111827\"")
    }

    /// A small valid chart that only says there is nothing to show.
    static func empty(title: String, text message: String, width: Int, showsTitle: Bool) -> String {
        let height = showsTitle ? 90 : 60
        let middle = (titleSpace(showsTitle) + Double(height)) / 2 + 4
        return open(width: width, height: height, title: title) + (showsTitle ? heading(title, width: width) : "")
            + text(message, x: Double(width) / 2, y: middle, anchor: "middle", extra: "fill=\"\(mutedColor)\"")
            + "</svg>"
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", extra: String = "") -> String {
        let anchorAttribute = anchor == "start" ? "" : " text-anchor=\"\(anchor)\""
        let extraAttributes = extra.isEmpty ? "" : " " + extra
        return "<text x=\"\(num(x))\" y=\"\(num(y))\"\(anchorAttribute)\(extraAttributes)>\(escape(content))</text>"
    }

    /// A rectangle carrying its tooltip; `kind` becomes the class so tests and CSS can find it.
    static func rect(
        kind: String, x: Double, y: Double, width: Double, height: Double, fill: String, tip: String
    )
        -> String
    {
        // Size from rounded edges, so stacked segments and bars meet the baseline exactly.
        let (x0, y0) = (rounded(x), rounded(y))
        let (x1, y1) = (rounded(x + max(0, width)), rounded(y + max(0, height)))
        return "<rect class=\"\(kind)\" x=\"\(num(x0))\" y=\"\(num(y0))\" width=\"\(num(x1 - x0))\" "
            + "height=\"\(num(y1 - y0))\" fill=\"\(escape(fill))\"><title>\(escape(tip))</title></rect>"
    }

    /// `value` rounded to the one decimal that `num` prints.
    static func rounded(_ value: Double) -> Double { value.isFinite ? (value * 10).rounded() / 10 : 0 }

    /// Wraps a shape in an SVG 2 link when there is somewhere to go.
    static func linked(_ body: String, href: String?) -> String {
        guard let href, !href.isEmpty else { return body }
        return "<a href=\"\(escape(href))\">\(body)</a>"
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
