import Foundation

/// CSV as Excel and WPS open it: UTF-8 with a byte-order mark (without one they read Chinese as
/// mojibake), CRLF line ends, quotes where needed, and cells that a spreadsheet would run as a formula
/// (starting with = + - @, a tab or a carriage return) prefixed with an apostrophe, against formula
/// injection from data people typed.
public struct CSVWriter: Sendable {
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public init() {}

    /// One record, with its line end.
    public func line(_ cells: [String]) -> String {
        cells.map(Self.cell).joined(separator: ",") + "\r\n"
    }

    public static func cell(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
            !Self.isPlainNumber(text)
        {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// -12.5 is a number, not a formula; it keeps its sign.
    private static func isPlainNumber(_ text: String) -> Bool {
        text.first == "-" && Double(text) != nil
    }
}
