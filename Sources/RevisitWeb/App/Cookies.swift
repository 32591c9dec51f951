import Foundation
import Hummingbird

/// The cookies Revisit sets, all HttpOnly and SameSite=Lax, Secure when served over https.
struct CookieNames {
    static let session = "revisit_session"
    static let loginCSRF = "revisit_csrf"
    static let language = "revisit_lang"
    static let flash = "revisit_flash"
}

struct CookieFactory: Sendable {
    let secure: Bool

    func make(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func clear(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

extension Response {
    /// A 303 after a form post, optionally carrying a one-shot message key to show on the next page.
    static func seeOther(_ location: String, flash: String? = nil, cookies: CookieFactory) -> Response {
        var response = Response.redirect(to: location, type: .normal)
        if let flash { response.setCookie(cookies.make(CookieNames.flash, flash)) }
        return response
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // Keys come in declaration order (stable, id first); sorting them cost a tenth of the screen pop.
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func setsCookie(named name: String) -> Bool {
        headers[values: .setCookie].contains { $0.hasPrefix("\(name)=") }
    }
}
