import Crypto
import Foundation
import RevisitCore

/// The `X-Revisit-Signature` header: lowercase hex HMAC-SHA256 of the exact body bytes with the shared
/// secret, on what we send and on what the gateway's webhooks send us (checked there with
/// `Secrets.constantTimeEquals`).
public enum SMSSignature {
    public static let header = "X-Revisit-Signature"

    public static func sign(_ body: some DataProtocol, secret: String) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
    }
}
