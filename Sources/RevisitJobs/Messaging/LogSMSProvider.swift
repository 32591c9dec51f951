import Foundation
import RevisitCore

/// The default provider for a store without a gateway: each message is appended as one JSON line to a
/// file (and stays in the outbox table as submitted), so nothing leaves the machine.
public final class LogSMSProvider: SMSProvider, @unchecked Sendable {
    public let name = "log"
    private let handle: FileHandle?
    private let lock = NSLock()

    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        _ = try handle?.seekToEnd()
    }

    public func submit(_ message: OutgoingMessage) async -> SubmitOutcome {
        let line: [String: String] = [
            "key": message.idempotencyKey, "to": message.phone, "text": message.text, "kind": message.kind.rawValue,
            "at": Date().formatted(.iso8601),
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) else {
            return .rejected("unencodable")
        }
        let written: (any Error)? = lock.withLock {
            do {
                try handle?.write(contentsOf: data + Data("\n".utf8))
                return nil
            } catch {
                return error
            }
        }
        if let written { return .notSent("log file: \(written)") }
        return .accepted(providerId: "log-\(message.idempotencyKey)")
    }

    /// A log line is written or not; a message tried again may appear twice in the file, never at a customer.
    public func status(idempotencyKey: String) async -> StatusOutcome { .unsupported }
}
