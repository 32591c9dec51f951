import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// Importing DMS files in the browser: upload, check the column mapping on the first rows, start, and
/// watch the run with its counts and error report. Works without JavaScript (the run page refreshes
/// itself while the import runs).
struct ImportController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/imports") { _, context in try await self.index(context) }
        router.post("/imports/upload") { request, context in try await self.upload(request, context) }
        router.get("/imports/uploads/:token") { request, context in try await self.preview(request, context) }
        router.post("/imports/uploads/:token/start") { _, context in try await self.start(context) }
        router.get("/imports/:id") { _, context in try await self.show(context) }
        router.get("/imports/:id/errors.csv") { _, context in try await self.errors(context) }
    }

    func t(_ key: String, _ context: AppRequestContext) -> String { services.localizer.text(key, context.language) }

    /// The store imports go into: the user's current store, where they may import.
    func targetStore(_ context: AppRequestContext) throws -> Store {
        let auth = try context.requireAuth()
        guard auth.user.role.canImport else { throw RevisitError(.forbidden, code: .forbidden) }
        guard let store = auth.currentStore else { throw RevisitError(.validation, code: .storeRequired) }
        return store
    }

    func index(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = auth.currentStore
        let canImport = auth.user.role.canImport
        let runs = try await services.imports.runs(storeId: store?.id, limit: 50, scope: auth.scope)
        let mappings = try await store.asyncMap {
            try await services.imports.mappings(storeId: $0.id, scope: auth.scope)
        }
        let view = ImportIndexPage(
            csrf: auth.session?.csrfToken ?? "", storeName: store.map { "\($0.code) \($0.name)" } ?? "",
            hasStore: store != nil, canImport: canImport,
            kinds: ImportKind.allCases.map {
                Option(value: $0.rawValue, label: t("import.kind.\($0.rawValue)", context), selected: false)
            },
            mappings: [Option(value: "", label: t("import.mapping_auto", context), selected: true)]
                + (mappings ?? []).map {
                    Option(
                        value: $0.name, label: "\($0.name)（\(t("import.kind.\($0.kind.rawValue)", context))）",
                        selected: false)
                },
            encodings: Self.encodingOptions(selected: nil, auto: t("import.encoding_auto", context)),
            runs: runs.map { ImportRunView($0, localizer: services.localizer, language: context.language) },
            empty: runs.isEmpty)
        return services.renderer.render("imports/index", titleKey: "import.title", view: view, context: context)
    }

    static func encodingOptions(selected: TextEncoding?, auto: String) -> [Option] {
        [Option(value: "", label: auto, selected: selected == nil)]
            + [TextEncoding.utf8, .gb18030, .utf16LE].map {
                Option(value: $0.rawValue, label: $0.rawValue.uppercased(), selected: $0 == selected)
            }
    }

    /// Upload details kept beside the file until the import starts.
    struct PendingUpload: Codable {
        var fileName: String
        var storeId: Int64
        var userId: Int64
        var kind: String
        var mapping: String
    }

    func upload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let store = try targetStore(context)
        let auth = try context.requireAuth()
        let upload = try await UploadReceiver.receive(
            request, into: services.uploadsDirectory, maxBytes: AppServices.maxUploadBytes)
        guard let path = upload.path, upload.size > 0 else {
            if let path = upload.path { try? FileManager.default.removeItem(atPath: path) }
            throw RevisitError(.validation, code: .importNoFile, field: "file")
        }
        let kind = ImportKind(rawValue: upload.fields["kind"] ?? "") ?? .customers
        let pending = PendingUpload(
            fileName: upload.fileName ?? "upload", storeId: store.id, userId: auth.user.id, kind: kind.rawValue,
            mapping: upload.fields["mapping"] ?? "")
        try JSONEncoder().encode(pending).write(to: URL(fileURLWithPath: path + ".json"))
        var query = "?kind=\(kind.rawValue)"
        if let encoding = upload.fields["encoding"], !encoding.isEmpty { query += "&encoding=\(encoding)" }
        if let mapping = upload.fields["mapping"], !mapping.isEmpty {
            query += "&mapping=" + (mapping.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return Response.seeOther(
            "/imports/uploads/\(URL(fileURLWithPath: path).lastPathComponent)\(query)", cookies: cookies)
    }

    /// The uploaded file, if it is this user's and still there.
    func pendingUpload(_ context: AppRequestContext) throws -> (path: String, PendingUpload) {
        let token = context.parameters.get("token") ?? ""
        guard token.count == 36, token.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw RevisitError.notFound()
        }
        let path = services.uploadsDirectory.appendingPathComponent(token).path
        guard let data = FileManager.default.contents(atPath: path + ".json"),
            let pending = try? JSONDecoder().decode(PendingUpload.self, from: data),
            FileManager.default.fileExists(atPath: path)
        else { throw RevisitError.notFound() }
        let auth = try context.requireAuth()
        guard pending.userId == auth.user.id, auth.scope.canSee(store: pending.storeId) else {
            throw RevisitError.notFound()
        }
        return (path, pending)
    }

    func preview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try targetStore(context)
        let auth = try context.requireAuth()
        let (path, pending) = try pendingUpload(context)
        let query = request.uri.queryParameters
        let kind = ImportKind(rawValue: query.get("kind") ?? pending.kind) ?? .customers
        let encoding = query.get("encoding").flatMap { TextEncoding(name: $0) }
        let sheet = query.get("sheet").flatMap { $0.isEmpty ? nil : $0 }
        let mappingName = query.get("mapping") ?? pending.mapping
        let saved = try await services.imports.mappings(storeId: pending.storeId, scope: auth.scope)
        let overrides = saved.first { $0.name == mappingName }?.fields ?? [:]
        let file: ImportFile
        do {
            file = try ImportFile.open(path: path, encoding: encoding, sheet: sheet)
        } catch let error as RevisitError {
            let message = services.localizer.message(for: error, context.language)
            return services.renderer.errorPage(status: .unprocessableContent, message: message, context: context)
        }
        let (header, rows) = try file.preview(rows: 5)
        let mapping = ColumnMapping(kind: kind, headers: header, overrides: overrides)
        let token = URL(fileURLWithPath: path).lastPathComponent
        let view = ImportPreviewPage(
            csrf: auth.session?.csrfToken ?? "", token: token, fileName: pending.fileName,
            format: file.format.rawValue.uppercased(), encoding: file.encoding, kind: kind.rawValue,
            kindLabel: t("import.kind.\(kind.rawValue)", context),
            kinds: ImportKind.allCases.map {
                Option(value: $0.rawValue, label: t("import.kind.\($0.rawValue)", context), selected: $0 == kind)
            },
            encodings: Self.encodingOptions(selected: encoding, auto: t("import.encoding_auto", context)),
            sheets: file.sheets.map { Option(value: $0, label: $0, selected: $0 == sheet) },
            sheet: sheet ?? "", mappingName: mappingName,
            fields: kind.fields.map { field in
                let column = mapping.columns[field]
                return ImportPreviewPage.FieldRow(
                    field: field.rawValue, label: t(field.labelKey, context), required: kind.required.contains(field),
                    missing: kind.required.contains(field) && column == nil,
                    options: [Option(value: "", label: t("import.not_mapped", context), selected: column == nil)]
                        + header.enumerated().map { index, name in
                            Option(value: name, label: name, selected: index == column)
                        })
            },
            missing: mapping.missing.map { t($0.labelKey, context) }.joined(separator: "、"),
            unused: mapping.unused.joined(separator: "、"), header: header,
            rows: rows.map { row in ImportPreviewPage.SampleRow(line: row.line, cells: row.cells) },
            hasSheets: !file.sheets.isEmpty, canStart: mapping.missing.isEmpty, hasMissing: !mapping.missing.isEmpty,
            hasUnused: !mapping.unused.isEmpty)
        return services.renderer.render(
            "imports/preview", titleKey: "import.preview_title", view: view, context: context)
    }

    func start(_ context: AppRequestContext) async throws -> Response {
        let store = try targetStore(context)
        let auth = try context.requireAuth()
        let (path, pending) = try pendingUpload(context)
        let form = context.form
        let kind = ImportKind(rawValue: form["kind"]) ?? .customers
        var overrides: [ImportField: String] = [:]
        for field in kind.fields where form.has("map.\(field.rawValue)") {
            overrides[field] = form["map.\(field.rawValue)"]
        }
        let saveAs = form["save_as"].trimmingCharacters(in: .whitespaces)
        if !saveAs.isEmpty {
            try await services.imports.saveMapping(
                ImportMapping(name: saveAs, kind: kind, fields: overrides), storeId: store.id, scope: auth.scope)
        }
        let importer = Importer(store: services.imports)
        let prepared = try await importer.prepare(
            path: path,
            .init(
                storeId: pending.storeId, kind: kind, fileName: pending.fileName,
                mappingName: saveAs.isEmpty ? nil : saveAs, encoding: TextEncoding(name: form["encoding"]),
                sheet: form["sheet"].isEmpty ? nil : form["sheet"], dryRun: form.has("dry_run"), overrides: overrides),
            scope: auth.scope)
        try? FileManager.default.removeItem(atPath: path + ".json")
        services.importJobs.start(prepared, importer: importer, scope: auth.scope, upload: path)
        return Response.seeOther("/imports/\(prepared.run.id)", cookies: cookies)
    }

    func show(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let run = try await services.imports.run(id: try context.parameters.requireID(), scope: auth.scope)
        let problems = try await services.imports.problems(importId: run.id, limit: 201, scope: auth.scope)
        var view = ImportRunPage(
            run: ImportRunView(run, localizer: services.localizer, language: context.language),
            title: services.localizer.text("import.run_title", context.language, ["id": String(run.id)]),
            running: run.status == .running,
            percent: Int(((services.importJobs.fraction(run.id) ?? (run.status == .running ? 0 : 1)) * 100).rounded()),
            problems: problems.prefix(200).map { problem in
                ImportRunPage.Problem(
                    line: problem.line, column: problem.column,
                    message: services.localizer.message(code: problem.code, args: problem.args, context.language))
            },
            more: problems.count > 200, errorsHref: "/imports/\(run.id)/errors.csv", message: nil,
            hasProblems: !problems.isEmpty)
        if let code = run.messageCode.flatMap(ErrorCode.init(rawValue:)) {
            view.message = services.localizer.message(code: code, args: run.messageArgs, context.language)
        }
        return services.renderer.render("imports/show", titleKey: "import.title", view: view, context: context)
    }

    func errors(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let run = try await services.imports.run(id: try context.parameters.requireID(), scope: auth.scope)
        let report = try await ImportErrorReport.csv(
            run: run, store: services.imports, localizer: services.localizer, language: context.language,
            scope: auth.scope)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"import-\(run.id)-errors.csv\""
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: report)))
    }
}

/// One import run as the pages show it.
struct ImportRunView {
    let id: Int64
    let href: String
    let startedAt: String
    let fileName: String
    let kind: String
    let status: String
    let statusClass: String
    let read: Int
    let inserted: Int
    let updated: Int
    let unchanged: Int
    let rejected: Int
    let user: String
    let dryRun: Bool
    let encoding: String
    let resumedFrom: Int64?

    init(_ run: ImportRun, localizer: Localizer, language: Language) {
        id = run.id
        href = "/imports/\(run.id)"
        startedAt = DisplayFormat.instant(run.startedAt)
        fileName = run.fileName
        kind = localizer.text("import.kind.\(run.kind.rawValue)", language)
        status = localizer.text("import.status.\(run.status.rawValue)", language)
        statusClass = run.status == .refused || run.status == .failed ? "warn" : ""
        read = run.counts.read
        inserted = run.counts.inserted
        updated = run.counts.updated
        unchanged = run.counts.unchanged
        rejected = run.counts.rejected
        user = run.userLogin
        dryRun = run.dryRun
        encoding = run.encoding
        resumedFrom = run.resumedFrom
    }
}

struct ImportIndexPage {
    let csrf: String
    let storeName: String
    let hasStore: Bool
    let canImport: Bool
    let kinds: [Option]
    let mappings: [Option]
    let encodings: [Option]
    let runs: [ImportRunView]
    /// Stored, not computed: templates read view models by reflection, which sees stored properties only.
    let empty: Bool
}

struct ImportPreviewPage {
    struct FieldRow {
        let field: String
        let label: String
        let required: Bool
        let missing: Bool
        let options: [Option]
    }
    struct SampleRow {
        let line: Int
        let cells: [String]
    }
    let csrf: String
    let token: String
    let fileName: String
    let format: String
    let encoding: String
    let kind: String
    let kindLabel: String
    let kinds: [Option]
    let encodings: [Option]
    let sheets: [Option]
    let sheet: String
    let mappingName: String
    let fields: [FieldRow]
    let missing: String
    let unused: String
    let header: [String]
    let rows: [SampleRow]
    let hasSheets: Bool
    let canStart: Bool
    /// Flags, because an empty text still opens a Mustache section.
    let hasMissing: Bool
    let hasUnused: Bool
}

struct ImportRunPage {
    struct Problem {
        let line: Int
        let column: String
        let message: String
    }
    let run: ImportRunView
    let title: String
    let running: Bool
    let percent: Int
    let problems: [Problem]
    let more: Bool
    let errorsHref: String
    var message: String?
    let hasProblems: Bool
}
