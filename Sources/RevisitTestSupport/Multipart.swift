import Foundation
import Hummingbird
import HummingbirdTesting

/// A `multipart/form-data` body as browsers send it: text fields, then the file.
public struct MultipartBody: Sendable {
    public let boundary = "----revisit\(UUID().uuidString.prefix(8))"
    public var fields: [(String, String)]
    public var file: (name: String, bytes: [UInt8])?

    public init(fields: [(String, String)], file: (name: String, bytes: [UInt8])?) {
        self.fields = fields
        self.file = file
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public var bytes: [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }
}

extension WebAgent {
    /// Posts a file upload; the CSRF token rides in the URL as the upload form does it.
    public func upload(_ path: String, _ body: MultipartBody) async throws -> TestResponse {
        let separator = path.contains("?") ? "&" : "?"
        return try await send(
            path + separator + "_csrf=" + Self.encode(csrf ?? ""), method: .post, raw: body.bytes,
            contentType: body.contentType)
    }
}

extension WebAgentFactory {
    /// Sends a multipart API request with a bearer token.
    public func apiUpload(_ path: String, token: String?, _ body: MultipartBody) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers[.contentType] = body.contentType
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body.bytes))
    }
}
