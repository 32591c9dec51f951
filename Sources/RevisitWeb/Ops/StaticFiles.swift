import Foundation
import Hummingbird

/// The few CSS/JS files, read once at start and served with a long cache lifetime.
struct StaticFiles: Sendable {
    let files: [String: (type: String, body: ByteBuffer)]

    init(directory: URL) throws {
        var files: [String: (type: String, body: ByteBuffer)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let type =
                switch (name as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                case "svg": "image/svg+xml"
                default: "application/octet-stream"
                }
            files[name] = (type, ByteBuffer(bytes: data))
        }
        self.files = files
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/static/:file") { _, context in
            guard let name = context.parameters.get("file"), let file = files[name] else {
                throw HTTPError(.notFound)
            }
            var headers = HTTPFields()
            headers[.contentType] = file.type
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.body))
        }
    }
}
