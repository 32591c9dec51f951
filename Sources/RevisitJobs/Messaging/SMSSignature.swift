import Crypto
import Foundation

/// The `X-Revisit-Signature` header: lowercase hex HMAC-SHA256 of the exact body bytes with the shared
/// secret, on what we send and on what the gateway's webhooks send us.
public enum SMSSignature {
    public static let header = "X-Revisit-Signature"

    public static func sign(_ body: some DataProtocol, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// Compared in constant time, so the check does not leak how much of a forged signature was right.
    public static func verify(_ body: some DataProtocol, signature: String, secret: String) -> Bool {
        let expected = Array(sign(body, secret: secret).utf8)
        let given = Array(signature.trimmingCharacters(in: .whitespaces).lowercased().utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }
}
