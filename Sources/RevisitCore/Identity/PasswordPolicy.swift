import Foundation

/// Password length rules. Long pass-phrases are welcome: the hasher pre-hashes so bcrypt's
/// 72-byte limit never silently truncates them.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 128

    public static func check(_ password: String, field: String = "password") throws(RevisitError) {
        if password.count < minimumLength {
            throw RevisitError(
                .validation, code: .passwordTooShort, field: field, args: ["min": String(minimumLength)])
        }
        if password.count > maximumLength {
            throw RevisitError(
                .validation, code: .passwordTooLong, field: field, args: ["max": String(maximumLength)])
        }
    }
}
