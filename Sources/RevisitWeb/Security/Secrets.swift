import Crypto
import Foundation
import RevisitCore

/// Random tokens and their stored digests. Tokens are 256 random bits; only SHA-256 digests are stored,
/// so a copy of the database does not let anyone in.
public enum Secrets {
    public static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func sha256Hex(_ text: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(text.utf8)))
    }

    /// Compares without an early exit, so timing does not reveal how much of a token matched.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// API tokens carry a recognisable prefix so they can be spotted in logs and secret scanners.
    public static let apiTokenPrefix = "rvt_"

    public static func newApiToken() -> (token: String, displayPrefix: String) {
        let token = apiTokenPrefix + randomToken()
        return (token, String(token.prefix(apiTokenPrefix.count + 6)))
    }
}
