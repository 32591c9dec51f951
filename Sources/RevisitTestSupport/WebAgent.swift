import Foundation
import Hummingbird
import HummingbirdTesting

/// A browser for router tests: keeps cookies, finds the CSRF token on the last page, and posts forms.
public final class WebAgent: @unchecked Sendable {
    let client: any TestClientProtocol
    public let address: String
    public private(set) var cookies: [String: String] = [:]
    /// The `_csrf` value of the last HTML page seen.
    public private(set) var csrf: String?
    private let lock = NSLock()

    init(client: any TestClientProtocol, address: String) {
        self.client = client
        self.address = address
    }

    public func get(_ path: String) async throws -> TestResponse {
        try await send(path, method: .get, body: nil)
    }

    /// Posts a form; adds the page's CSRF token unless `csrf` is given (pass "" to send none).
    public func post(
        _ path: String, _ fields: [(String, String)] = [], csrf: String? = nil
    ) async throws -> TestResponse {
        var fields = fields
        let token = csrf ?? self.csrf ?? ""
        if !token.isEmpty { fields.append(("_csrf", token)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(path, method: .post, body: body)
    }

    /// Opens the login page and signs in.
    @discardableResult
    public func login(_ login: String, _ password: String) async throws -> TestResponse {
        _ = try await get("/login")
        let response = try await post("/login", [("login", login), ("password", password)])
        if response.status == .seeOther { _ = try await get("/home") }
        return response
    }

    public func setCookie(_ name: String, _ value: String?) {
        lock.withLock { cookies[name] = value }
    }

    private func send(_ path: String, method: HTTPRequest.Method, body: String?) async throws -> TestResponse {
        try await send(
            path, method: method, raw: body.map { Array($0.utf8) },
            contentType: body == nil ? nil : "application/x-www-form-urlencoded")
    }

    func send(
        _ path: String, method: HTTPRequest.Method, raw: [UInt8]?, contentType: String?
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.init("X-Forwarded-For")!] = address
        let cookieHeader = lock.withLock { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: raw.map { ByteBuffer(bytes: $0) })
        remember(response)
        return response
    }

    private func remember(_ response: TestResponse) {
        lock.withLock {
            for header in response.headers[values: .setCookie] {
                let pair = header.split(separator: ";", maxSplits: 1)[0]
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                let value = parts.count > 1 ? String(parts[1]) : ""
                if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
            let text = String(buffer: response.body)
            if let range = text.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) {
                let match = text[range]
                csrf = match.components(separatedBy: "value=\"")[1].replacingOccurrences(of: "\"", with: "")
            }
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
