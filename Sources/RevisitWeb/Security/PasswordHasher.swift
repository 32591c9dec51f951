import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt over a SHA-256 digest of the password: bcrypt alone reads only 72 bytes, which a Chinese
/// pass-phrase of 24 characters already fills. Hashing runs on the thread pool, not the event loops.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    /// A hash of a random secret, verified against when a login does not exist so that a wrong login
    /// takes as long as a wrong password.
    public let decoyHash: String

    public init(cost: UInt8) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash(Self.prehash(Secrets.randomToken()), cost: cost)
    }

    public func hash(_ password: String) async throws -> String {
        let input = Self.prehash(password)
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let input = Self.prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

}
