import Foundation
import Hummingbird
import RevisitCore
import RevisitStorage

/// DMS imports over the API: upload a file (multipart), then poll its run for status and counts.
struct ImportsApi {
    let services: AppServices

    static let operations = [
        ApiOperation(
            "post", "/api/v1/imports",
            "Upload a DMS file and import it in the background (202); ?wait=true answers when it is done",
            tag: "imports", request: .multipart(schema: "ImportUpload"), response: "ImportRun", status: 202,
            query: ["wait"]),
        ApiOperation(
            "get", "/api/v1/imports", "Import runs, newest first", tag: "imports", response: "[ImportRun]",
            query: ["storeId", "limit"]),
        ApiOperation(
            "get", "/api/v1/imports/{id}", "Status and counts of one run", tag: "imports", response: "ImportRun"),
        ApiOperation(
            "get", "/api/v1/imports/advisors", "Advisor names from DMS files that match no user, with order counts",
            tag: "imports", response: "[UnlinkedAdvisor]", query: ["storeId"]),
        ApiOperation(
            "post", "/api/v1/imports/advisors", "Link an advisor name from the files to a user of the store",
            tag: "imports", request: .json(schema: "AdvisorLink"), response: "AdvisorLinked"),
        ApiOperation(
            "get", "/api/v1/imports/{id}/problems", "Rejected rows: line, column and reason", tag: "imports",
            response: "[ImportProblem]", query: ["limit"]),
    ]

    struct RunDTO: Encodable {
        let id: Int64
        let storeId: Int64
        let kind: String
        let fileName: String
        let fileSha256: String
        let format: String
        let encoding: String
        let mapping: String
        let dryRun: Bool
        let status: String
        let read: Int
        let inserted: Int
        let updated: Int
        let unchanged: Int
        let rejected: Int
        let progress: Double?
        let resumedFrom: Int64?
        let error: ErrorDTO?
        let user: String
        let startedAt: Date
        let finishedAt: Date?
    }

    struct ErrorDTO: Encodable {
        let code: String
        let message: String
    }

    struct AdvisorDTO: Encodable {
        let name: String
        let orders: Int
    }

    struct AdvisorLinkInput: Decodable {
        var storeId: Int64?
        var name: String
        var userId: Int64
    }

    struct ProblemDTO: Encodable {
        let line: Int
        let column: String
        let code: String
        let message: String
    }

    func dto(_ run: ImportRun, _ language: Language) -> RunDTO {
        let error = run.messageCode.flatMap(ErrorCode.init(rawValue:)).map { code in
            ErrorDTO(
                code: code.rawValue,
                message: services.localizer.message(code: code, args: run.messageArgs, language))
        }
        return RunDTO(
            id: run.id, storeId: run.storeId, kind: run.kind.rawValue, fileName: run.fileName,
            fileSha256: run.fileSHA256, format: run.format.rawValue, encoding: run.encoding, mapping: run.mappingName,
            dryRun: run.dryRun, status: run.status.rawValue, read: run.counts.read, inserted: run.counts.inserted,
            updated: run.counts.updated, unchanged: run.counts.unchanged, rejected: run.counts.rejected,
            progress: run.status == .running ? services.importJobs.fraction(run.id) : 1, resumedFrom: run.resumedFrom,
            error: error, user: run.userLogin, startedAt: run.startedAt, finishedAt: run.finishedAt)
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.post("/imports") { request, context in
            let auth = try context.requireAuth()
            guard auth.user.role.canImport else { throw RevisitError(.forbidden, code: .forbidden) }
            let upload = try await UploadReceiver.receive(
                request, into: services.uploadsDirectory, maxBytes: AppServices.maxUploadBytes)
            guard let path = upload.path, upload.size > 0 else {
                if let path = upload.path { try? FileManager.default.removeItem(atPath: path) }
                throw RevisitError(.validation, code: .importNoFile, field: "file")
            }
            do {
                let fields = upload.fields
                guard let kind = ImportKind(rawValue: fields["kind"] ?? "") else {
                    throw RevisitError(
                        .validation, code: .invalidValue, field: "kind",
                        args: ["value": fields["kind"] ?? "", "allowed": "customers, vehicles, repair-orders, lines"])
                }
                let storeId = try auth.storeId(named: fields["storeId"])
                var encoding: TextEncoding?
                if let name = fields["encoding"], !name.isEmpty {
                    guard let known = TextEncoding(name: name) else {
                        throw RevisitError(.validation, code: .importEncoding, field: "encoding", args: ["value": name])
                    }
                    encoding = known
                }
                let importer = Importer(store: services.imports)
                let prepared = try await importer.prepare(
                    path: path,
                    .init(
                        storeId: storeId, kind: kind, fileName: upload.fileName ?? "upload",
                        mappingName: fields["mapping"].flatMap { $0.isEmpty ? nil : $0 }, encoding: encoding,
                        sheet: fields["sheet"].flatMap { $0.isEmpty ? nil : $0 },
                        dryRun: ["1", "true", "yes", "on"].contains((fields["dryRun"] ?? "").lowercased())),
                    scope: auth.scope)
                if request.uri.queryParameters.get("wait") == "true" {
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    let run = try await importer.execute(prepared, scope: auth.scope)
                    return try Response.json(dto(run, context.language), status: .ok)
                }
                services.importJobs.start(prepared, importer: importer, scope: auth.scope, upload: path)
                return try Response.json(dto(prepared.run, context.language), status: .accepted)
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
        }
        router.get("/imports/advisors") { request, context in
            let auth = try context.requireAuth()
            guard auth.user.role.canImport else { throw RevisitError(.forbidden, code: .forbidden) }
            let storeId = try auth.storeId(named: request.uri.queryParameters.get("storeId"))
            let names = try await services.imports.unlinkedAdvisors(storeId: storeId, scope: auth.scope)
            return try Response.json(names.map { AdvisorDTO(name: $0.name, orders: $0.orders) })
        }
        router.post("/imports/advisors") { request, context in
            let auth = try context.requireAuth()
            guard auth.user.role.canImport else { throw RevisitError(.forbidden, code: .forbidden) }
            let input = try await request.json(AdvisorLinkInput.self, context: context)
            let storeId = try auth.storeId(named: input.storeId.map(String.init))
            let linked = try await services.imports.linkAdvisor(
                name: input.name, userId: input.userId, storeId: storeId, scope: auth.scope)
            return try Response.json(["orders": linked])
        }
        router.get("/imports") { request, context in
            let auth = try context.requireAuth()
            let query = request.uri.queryParameters
            let storeId = try query.get("storeId").map { text -> Int64 in
                guard let id = Int64(text) else {
                    throw RevisitError(.validation, code: .invalidValue, field: "storeId", args: ["value": text])
                }
                return id
            }
            let limit = Int(query.get("limit") ?? "") ?? 50
            let runs = try await services.imports.runs(storeId: storeId, limit: limit, scope: auth.scope)
            return try Response.json(runs.map { dto($0, context.language) })
        }
        router.get("/imports/:id") { _, context in
            let auth = try context.requireAuth()
            let run = try await services.imports.run(id: try context.parameters.requireID(), scope: auth.scope)
            return try Response.json(dto(run, context.language))
        }
        router.get("/imports/:id/problems") { request, context in
            let auth = try context.requireAuth()
            let limit = Int(request.uri.queryParameters.get("limit") ?? "") ?? 1_000
            let problems = try await services.imports.problems(
                importId: try context.parameters.requireID(), limit: min(max(limit, 1), 100_000), scope: auth.scope)
            return try Response.json(
                problems.map { problem in
                    ProblemDTO(
                        line: problem.line, column: problem.column, code: problem.code.rawValue,
                        message: services.localizer.message(code: problem.code, args: problem.args, context.language))
                })
        }
    }
}
