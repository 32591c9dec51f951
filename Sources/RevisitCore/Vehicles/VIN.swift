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

    /// Upper-cased with spaces and dashes removed.
    public static func normalize(_ raw: String) -> String {
        raw.uppercased().filter { !$0.isWhitespace && $0 != "-" }
    }

    static func value(of character: Character) -> Int? {
        if let digit = character.wholeNumberValue, character.isASCII { return digit }
        let table: [Character: Int] = [
            "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8, "J": 1, "K": 2, "L": 3, "M": 4, "N": 5,
            "P": 7, "R": 9, "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
        ]
        return table[character]
    }

    /// The check digit the other 16 characters call for ('0'–'9' or 'X'); nil for malformed input.
    public static func expectedCheckDigit(_ vin: String) -> Character? {
        let characters = Array(normalize(vin))
        guard characters.count == 17 else { return nil }
        var sum = 0
        for (index, character) in characters.enumerated() {
            guard let value = value(of: character) else { return nil }
            sum += value * weights[index]
        }
        let remainder = sum % 11
        return remainder == 10 ? "X" : Character(String(remainder))
    }

    /// The first problem with a VIN, or nil when it is valid.
    public static func problem(_ raw: String) -> Problem? {
        let vin = normalize(raw)
        guard vin.count == 17 else { return .length(vin.count) }
        guard vin.allSatisfy({ value(of: $0) != nil }) else { return .characters }
        let expected = expectedCheckDigit(vin)!
        if Array(vin)[8] != expected { return .checkDigit(expected: expected) }
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
