import Foundation

/// A phone number as people write it, normalised for search and classified for data quality.
/// Mainland mobiles are `1[3-9]` + 9 digits; landlines are a trunk 0, an area code (010, 02X or
/// 0XXX) and 7–8 digits; anything else is kept as typed but flagged.
public struct PhoneNumber: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Codable, CaseIterable {
        case mobile, landline, other
    }

    /// Digits only, without the country code: `13812345678`, `01085550101`.
    public let digits: String
    public let format: Format

    public var isValid: Bool { format != .other }

    public init(_ raw: String) {
        // Stored numbers and most typed ones are bare digits: they skip the clean-up below, which costs
        // more than everything else a screen pop or an import does with a number.
        if !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            self.init(digits: raw, hadPlus: false, raw: raw)
            return
        }
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Extensions ("转 123", "ext 12", "#12") are not part of the number people search by.
        for marker in ["转", "ext", "EXT", "Ext", "#", "x"] {
            if let range = text.range(of: marker), text.distance(from: text.startIndex, to: range.lowerBound) >= 7 {
                text = String(text[..<range.lowerBound])
            }
        }
        var digits = String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
        // Full-width digits from Chinese input methods.
        if digits.isEmpty {
            digits = String(text.compactMap { $0.wholeNumberValue.map { Character(String($0)) } })
        }
        self.init(digits: digits, hadPlus: text.hasPrefix("+"), raw: raw)
    }

    private init(digits: String, hadPlus: Bool, raw: String) {
        var digits = digits
        var international = hadPlus
        if digits.hasPrefix("0086") {
            digits.removeFirst(4)
            international = true
        } else if hadPlus, digits.hasPrefix("86") {
            digits.removeFirst(2)
        } else if digits.hasPrefix("86"), digits.count == 13 {
            digits.removeFirst(2)
            international = true
        }
        if Self.isMobile(digits) {
            self.digits = digits
            self.format = .mobile
        } else if international, !digits.hasPrefix("0"), Self.isLandline("0" + digits) {
            // +86 10 8555 0101 drops the trunk zero.
            self.digits = "0" + digits
            self.format = .landline
        } else if Self.isLandline(digits) {
            self.digits = digits
            self.format = .landline
        } else {
            self.digits = digits.isEmpty ? raw.trimmingCharacters(in: .whitespaces) : digits
            self.format = .other
        }
    }

    static func isMobile(_ digits: String) -> Bool {
        digits.count == 11 && digits.hasPrefix("1")
            && ("3"..."9").contains(digits[digits.index(after: digits.startIndex)])
    }

    /// 010 and 020–029 have 3-digit area codes, the rest 4; subscriber numbers are 7 or 8 digits.
    static func isLandline(_ digits: String) -> Bool {
        guard digits.hasPrefix("0"), digits.count >= 10, digits.count <= 12, digits.dropFirst().first != "0" else {
            return false
        }
        let local = digits.count - areaCodeLength(digits)
        return local == 7 || local == 8
    }

    static func areaCodeLength(_ digits: String) -> Int {
        digits.hasPrefix("010") || digits.hasPrefix("02") ? 3 : 4
    }

    /// How the number reads: `138 1234 5678` style is avoided in lists; `13812345678`, `010-85550101`.
    public var display: String {
        switch format {
        case .mobile, .other: return digits
        case .landline:
            let split = Self.areaCodeLength(digits)
            return String(digits.prefix(split)) + "-" + String(digits.dropFirst(split))
        }
    }

    /// `138****5678` for mobiles, `010-****0101` for landlines, stars but the last four otherwise.
    public var masked: String {
        switch format {
        case .mobile: return String(digits.prefix(3)) + "****" + String(digits.suffix(4))
        case .landline:
            let split = Self.areaCodeLength(digits)
            return String(digits.prefix(split)) + "-****" + String(digits.suffix(4))
        case .other:
            let tail = String(digits.suffix(4))
            return String(repeating: "*", count: max(0, min(digits.count - 4, 6))) + tail
        }
    }
}
