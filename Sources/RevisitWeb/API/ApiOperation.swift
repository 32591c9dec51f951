import Foundation

/// The OpenAPI description of one API route, written beside the handler it describes. The document is
/// assembled from these; a test compares it with the routes the router really has.
struct ApiOperation: Sendable {
    enum Body: Sendable {
        case none
        case json(schema: String)
        /// A `multipart/form-data` upload (a file and its fields).
        case multipart(schema: String)
    }

    let method: String
    /// OpenAPI form, with `{id}` parameters.
    let path: String
    let summary: String
    let tag: String
    let request: Body
    /// The schema of a 200/201 answer: a component name, or `[Name]` for an array.
    let response: String
    let successStatus: Int
    let adminOnly: Bool
    let query: [String]

    init(
        _ method: String, _ path: String, _ summary: String, tag: String, request: Body = .none, response: String,
        status: Int = 200, adminOnly: Bool = false, query: [String] = []
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.tag = tag
        self.request = request
        self.response = response
        self.successStatus = status
        self.adminOnly = adminOnly
        self.query = query
    }
}
