import Foundation

/// The fake SMS gateway (scripts/fake-sms-gateway.py) as a child process on loopback, for tests of the
/// http provider: it checks signatures, dedupes by idempotency key, answers status queries and can be
/// made slow, failing or silent.
public final class FakeGateway: @unchecked Sendable {
    public let port: Int
    private let process: Process

    public var url: String { "http://127.0.0.1:\(port)/sms" }

    /// The repository's root, from this file's place in it.
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Starts it (on `port`, or a free one) and waits for its `listening on PORT` line.
    public static func start(secret: String, port: Int = 0, arguments: [String] = []) throws -> FakeGateway {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments =
            [
                root.appendingPathComponent("scripts/fake-sms-gateway.py").path, "--port", String(port), "--secret",
                secret,
            ]
            + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard
            let found = text.split(separator: " ").last.flatMap({
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            })
        else {
            process.terminate()
            throw TestFailure("the fake gateway did not start: \(text)")
        }
        return FakeGateway(port: found, process: process)
    }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    deinit { stop() }

    public func stop() {
        // SIGKILL: a test's gateway has nothing to save, and SIGTERM waits for its open connections.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// `GET /_stats`: accepted, resubmissions, badSignature, failedOnPurpose, hung, …
    public func stats() async throws -> [String: Int] {
        (try JSONSerialization.jsonObject(with: try curl("/_stats")) as? [String: Int]) ?? [:]
    }

    /// `GET /_messages`: every accepted message with its key, id and submissions.
    public func messages() async throws -> [[String: Any]] {
        (try JSONSerialization.jsonObject(with: try curl("/_messages")) as? [[String: Any]]) ?? []
    }

    /// `POST /_config`: delay-ms, fail-rate, hang-rate at run time.
    public func configure(_ settings: [String: Double]) async throws {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self)
        _ = try curl("/_config", body: body)
    }

    /// curl rather than URLSession: Foundation's networking on Linux has hung in these tests.
    private func curl(_ path: String, body: String? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments =
            ["-sf", "--max-time", "10", "http://127.0.0.1:\(port)\(path)"] + (body.map { ["-d", $0] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("curl \(path) failed") }
        return data
    }

    /// A port nothing listens on (for "the gateway is down").
    public static func freePort() throws -> Int {
        let gateway = try start(secret: "x")
        let port = gateway.port
        gateway.stop()
        return port
    }
}
