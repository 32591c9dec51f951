import Foundation

/// Chinese licence plates: a province character, a letter for the issuing city, then 5 characters
/// (6 for new-energy plates, with D/F marking electric or hybrid), plus the usual special series
/// (学 coach, 警 police, 挂 trailer, 港/澳 cross-border, 领/使 consular).
public enum Plate {
    static let provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
    static let letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    static let alnum = letters + "0123456789"

    /// Upper-cased, without spaces, dots and dashes ("京A·12345" → "京A12345").
    public static func normalize(_ raw: String) -> String {
        raw.uppercased().filter { !$0.isWhitespace && !"·.-・".contains($0) }
    }

    public static func isValid(_ raw: String) -> Bool {
        let plate = Array(normalize(raw))
        if plate.count == 7, plate[0] == "使" { return plate.dropFirst().allSatisfy { $0.isASCII && $0.isNumber } }
        guard plate.count >= 7, provinces.contains(plate[0]), letters.contains(plate[1]) else { return false }
        let rest = Array(plate[2...])
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        switch rest.count {
        case 5:
            // Regular: 5 letters/digits, the last may be a series character.
            return rest.dropLast().allSatisfy { alnum.contains($0) }
                && (alnum.contains(rest[4]) || "学警挂港澳领".contains(rest[4]))
        case 6:
            // New energy: D/F + (letter or digit) + 4 digits (small cars), or 5 digits + D/F (large).
            let small = "DF".contains(rest[0]) && alnum.contains(rest[1]) && rest[2...].allSatisfy(isDigit)
            let large = rest[..<5].allSatisfy(isDigit) && "DF".contains(rest[5])
            let emergency =
                rest.count == 6 && String(rest[4...]) == "应急" && rest[..<4].allSatisfy { alnum.contains($0) }
            return small || large || emergency
        default:
            return false
        }
    }
}
