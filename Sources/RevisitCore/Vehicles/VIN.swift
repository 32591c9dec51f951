import Foundation

/// Vehicle identification numbers (ISO 3779; GB 16735 in China): 17 characters of A–Z and 0–9 without
/// I, O and Q, with a check digit in position 9 that Chinese VINs must carry.
public enum VIN {
    public enum Problem: Equatable, Sendable {
        case length(Int)
        case characters
        case checkDigit(expected: Character)
    }

    static let weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

    /// Transliteration values by ASCII code (ISO 3779 annex): -1 for characters a VIN may not hold.
    /// A table, because importers check millions of VINs and screen pops check one per vehicle.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = Int8(byte - 48) }
        let letters: [(Character, Int8)] = [
            ("A", 1), ("B", 2), ("C", 3), ("D", 4), ("E", 5), ("F", 6), ("G", 7), ("H", 8), ("J", 1), ("K", 2),
            ("L", 3), ("M", 4), ("N", 5), ("P", 7), ("R", 9), ("S", 2), ("T", 3), ("U", 4), ("V", 5), ("W", 6),
            ("X", 7), ("Y", 8), ("Z", 9),
        ]
        for (letter, value) in letters { table[Int(letter.asciiValue!)] = value }
        return table
    }()

    /// Upper-cased with spaces and dashes removed.
    public static func normalize(_ raw: String) -> String {
        // Nearly every VIN arrives clean; only the others pay for the general path.
        if raw.utf8.allSatisfy({ values[Int($0 & 0x7f)] >= 0 && $0 < 0x80 }) { return raw }
        return raw.uppercased().filter { !$0.isWhitespace && $0 != "-" }
    }

    static func value(of character: Character) -> Int? {
        guard let ascii = character.asciiValue, values[Int(ascii)] >= 0 else { return nil }
        return Int(values[Int(ascii)])
    }

    /// The check digit the other 16 characters call for ('0'–'9' or 'X'); nil for malformed input.
    public static func expectedCheckDigit(_ vin: String) -> Character? {
        let bytes = Array(normalize(vin).utf8)
        guard bytes.count == 17 else { return nil }
        var sum = 0
        for (index, byte) in bytes.enumerated() {
            guard byte < 0x80, values[Int(byte)] >= 0 else { return nil }
            sum += Int(values[Int(byte)]) * weights[index]
        }
        let remainder = sum % 11
        return remainder == 10 ? "X" : Character(Unicode.Scalar(UInt8(48 + remainder)))
    }

    /// The first problem with a VIN, or nil when it is valid.
    public static func problem(_ raw: String) -> Problem? {
        let vin = normalize(raw)
        let bytes = Array(vin.utf8)
        // Counted in characters, as the message shows them (a stray 车 is one, not three).
        guard bytes.count == 17 else { return vin.count == 17 ? .characters : .length(vin.count) }
        guard bytes.allSatisfy({ $0 < 0x80 && values[Int($0)] >= 0 }) else { return .characters }
        let expected = expectedCheckDigit(vin)!
        if Character(Unicode.Scalar(bytes[8])) != expected { return .checkDigit(expected: expected) }
        return nil
    }

    /// Refusal for manual entry, naming the expected check digit.
    public static func validate(_ raw: String, field: String = "vin") throws(RevisitError) -> String {
        let vin = normalize(raw)
        switch problem(vin) {
        case nil: return vin
        case .length(let count):
            throw RevisitError(.validation, code: .vinLength, field: field, args: ["count": String(count)])
        case .characters: throw RevisitError(.validation, code: .vinCharacters, field: field)
        case .checkDigit(let expected):
            throw RevisitError(
                .validation, code: .vinCheckDigit, field: field,
                args: ["expected": String(expected), "found": String(Array(vin)[8])])
        }
    }
}
