import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct OpenAPITests {
    @Test func everyApiRouteIsDescribedAndNothingElse() async throws {
        try await TestApp.with(.sqlite) { app, web in
            let response = try await web.api(.get, "/api/v1/openapi.json", token: nil)
            #expect(response.status == .ok)
            let document = try #require(try response.json() as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var described: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys { described.insert("\(method.uppercased()) \(path)") }
            }
            let registered = Set(
                app.routes.filter { $0.path.hasPrefix("/api/") }.map { route in
                    let path = route.path.split(separator: "/").map {
                        $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0)
                    }
                    return "\(route.method) /" + path.joined(separator: "/")
                })
            #expect(registered.subtracting(described).sorted() == [], "API routes missing from the OpenAPI document")
            #expect(
                described.subtracting(registered).sorted() == [],
                "the OpenAPI document describes routes that do not exist")
        }
    }

    @Test func everyReferencedSchemaExists() async throws {
        try await TestApp.with(.sqlite) { _, web in
            let text = try await web.api(.get, "/api/v1/openapi.json", token: nil).text.replacingOccurrences(
                of: "\\/", with: "/")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let regex = try NSRegularExpression(pattern: #"#/components/schemas/([A-Za-z]+)"#)
            let names = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                String(text[Range($0.range(at: 1), in: text)!])
            }
            #expect(!names.isEmpty)
            for name in Set(names) { #expect(schemas[name] != nil, "missing schema \(name)") }
        }
    }
}
