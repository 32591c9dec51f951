import Foundation
import Hummingbird
import Mustache
import RevisitCore

/// Renders a page template inside the layout. Templates see `t` (translations), `shell` (navigation,
/// user, flash) and `view` (the page's own view model) — never database rows.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let localizer: Localizer

    public init(localizer: Localizer) async throws {
        self.library = try await MustacheLibrary(
            directory: WebResources.directory.appendingPathComponent("templates").path)
        self.localizer = localizer
    }

    public func render(
        _ template: String, titleKey: String, view: Any, context: AppRequestContext, status: HTTPResponse.Status = .ok
    ) -> Response {
        let language = context.language
        let t = localizer.templateTable(language)
        let shell = Shell(title: localizer.text(titleKey, language), context: context, localizer: localizer)
        let frame: [String: Any] = ["t": t, "shell": shell, "view": view]
        let content = library.render(frame, withTemplate: template) ?? ""
        let page = library.render(["t": t, "shell": shell, "content": content], withTemplate: "layout") ?? content
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// A page that says what went wrong, in the user's language, with the shell when signed in.
    public func errorPage(status: HTTPResponse.Status, message: String, context: AppRequestContext) -> Response {
        render(
            "error", titleKey: "error.title",
            view: ErrorView(status: Int(status.code), message: message, homePath: Paths.home), context: context,
            status: status)
    }
}

struct ErrorView {
    let status: Int
    let message: String
    let homePath: String
}
