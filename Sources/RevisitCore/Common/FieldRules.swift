import Foundation

/// Shared checks for typed fields, so every form and API call refuses the same things the same way.
public enum FieldRules {
    /// Trims; refuses empty (when required) and longer than `max` characters.
    public static func text(
        _ value: String, field: String, max: Int, required: Bool = true
    ) throws(RevisitError)
        -> String
    {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw RevisitError(.validation, code: .required, field: field) }
        if trimmed.count > max {
            throw RevisitError(.validation, code: .tooLong, field: field, args: ["max": String(max)])
        }
        return trimmed
    }

    /// Store and group codes: 1–20 of A–Z, 0–9, '-' and '_', kept upper-case.
    public static func code(_ value: String, field: String) throws(RevisitError) -> String {
        let trimmed = try text(value, field: field, max: 20).uppercased()
        let allowed = trimmed.unicodeScalars.allSatisfy { scalar in
            ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
        guard allowed else { throw RevisitError(.validation, code: .invalidCode, field: field) }
        return trimmed
    }

    /// Logins: 2–40 of a–z, 0–9, '.', '-' and '_', kept lower-case.
    public static func login(_ value: String) throws(RevisitError) -> String {
        let trimmed = try text(value, field: "login", max: 40).lowercased()
        let allowed = trimmed.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
                || scalar == "_"
        }
        guard allowed, trimmed.count >= 2 else {
            throw RevisitError(.validation, code: .invalidLogin, field: "login")
        }
        return trimmed
    }
}
