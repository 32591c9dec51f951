import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import RevisitCore

/// A real SMS gateway's HTTP API: POST a JSON body (the configured template) with `Idempotency-Key` and an
/// HMAC-SHA256 `X-Revisit-Signature`; a 2xx answer carrying `{"id": …}` is the gateway's message id. The
/// status query (`GET <url>/<key>`) tells whether a message whose answer was lost arrived.
public final class HTTPSMSProvider: SMSProvider, Sendable {
    public let name = "http"
    private let client: HTTPClient
    private let settings: SMSSettings
    private let url: String

    public init(settings: SMSSettings) throws {
        guard let url = settings.url, URL(string: url)?.scheme != nil else {
            throw SMSProviderError.missingURL
        }
        self.url = url
        self.settings = settings
        var configuration = HTTPClient.Configuration()
        // A connect timeout well inside the request's own keeps "never connected" (safe to send again)
        // apart from "sent, no answer" (ask before sending again).
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(Int64(max(1, settings.timeout))))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, settings.concurrency))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The configured body with JSON-escaped values.
    func body(_ message: OutgoingMessage) -> Data {
        let encoder = JSONEncoder()
        func escaped(_ value: String) -> String {
            let data = (try? encoder.encode(value)) ?? Data("\"\"".utf8)
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }
        let text = settings.bodyTemplate.replacingOccurrences(of: "{{phone}}", with: escaped(message.phone))
            .replacingOccurrences(of: "{{text}}", with: escaped(message.text))
            .replacingOccurrences(of: "{{key}}", with: escaped(message.idempotencyKey))
        return Data(text.utf8)
    }

    public func submit(_ message: OutgoingMessage) async -> SubmitOutcome {
        let body = body(message)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: message.idempotencyKey)
        if let secret = settings.secret {
            request.headers.add(name: SMSSignature.header, value: SMSSignature.sign(body, secret: secret))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let answer: Data
        do {
            response = try await client.execute(request, timeout: .seconds(Int64(max(1, settings.timeout))))
            answer = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            return Self.neverConnected(error) ? .notSent("\(error)") : .unknown("\(error)")
        }
        let code = response.status.code
        switch code {
        case 200..<300:
            guard let id = Self.id(in: answer) else { return .unknown("2xx without an id") }
            return .accepted(providerId: id)
        case 408, 429, 500..<600:
            return .notSent("HTTP \(code): \(String(decoding: answer.prefix(200), as: UTF8.self))")
        default:
            return .rejected("HTTP \(code): \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
    }

    public func status(idempotencyKey: String) async -> StatusOutcome {
        guard let url = settings.statusURL(for: idempotencyKey) else { return .unsupported }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        if let secret = settings.secret {
            request.headers.add(name: SMSSignature.header, value: SMSSignature.sign(Data(), secret: secret))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(max(1, settings.timeout))))
            let answer = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
            switch response.status.code {
            case 200..<300:
                guard let id = Self.id(in: answer) else { return .unavailable("status without an id") }
                let status = (try? JSONSerialization.jsonObject(with: answer) as? [String: Any])?["status"] as? String
                return .accepted(providerId: id, delivered: status == "delivered")
            case 404: return .notFound
            default: return .unavailable("HTTP \(response.status.code)")
            }
        } catch {
            return .unavailable("\(error)")
        }
    }

    static func id(in answer: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: answer) as? [String: Any] else { return nil }
        if let id = object["id"] as? String, !id.isEmpty { return id }
        if let id = object["id"] as? Int { return String(id) }
        return nil
    }

    /// Errors raised before a request could have left: no connection was ever made.
    static func neverConnected(_ error: any Error) -> Bool {
        if let client = error as? HTTPClientError {
            return client == .connectTimeout || client == .getConnectionFromPoolTimeout || client == .alreadyShutdown
                || client == .invalidURL
        }
        if error is NIOConnectionError { return true }
        if let io = error as? IOError {
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(io.errnoCode)
        }
        if case ChannelError.connectTimeout = error { return true }
        return false
    }
}

public enum SMSProviderError: Error, CustomStringConvertible {
    case missingURL

    public var description: String {
        switch self {
        case .missingURL: "the http SMS provider needs --sms-url (REVISIT_SMS_URL)"
        }
    }
}
