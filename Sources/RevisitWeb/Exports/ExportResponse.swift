import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RevisitCore

public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, xlsx

    init(_ text: String?) throws {
        guard let format = ExportFormat(rawValue: (text ?? "csv").lowercased()) else {
            throw RevisitError(
                .validation, code: .invalidValue, field: "format", args: ["value": text ?? "", "allowed": "csv, xlsx"])
        }
        self = format
    }
}

/// A list exported page by page straight into the response, as CSV (UTF-8 with BOM) or XLSX: memory holds
/// one page whatever the list's length. Exports need their own right (`Role.canExport`) and each one is
/// in the audit log with what was exported.
struct ExportResponse {
    typealias Cell = XLSXWriter.Cell
    /// One page of rows and the cursor of the next, nil at the end.
    typealias Pages = @Sendable (_ cursor: String?) async throws -> (rows: [[Cell]], next: String?)

    static func require(_ auth: Authenticated) throws {
        guard auth.user.role.canExport else { throw RevisitError(.forbidden, code: .forbidden) }
    }

    static func make(
        format: ExportFormat, name: String, sheet: String, header: [String], services: AppServices,
        auth: Authenticated, detail: String, pages: @escaping Pages
    ) async throws -> Response {
        try require(auth)
        try await services.audit.append(
            AuditRecord(
                action: .exported, entityType: "export", entityId: name, storeId: auth.currentStore?.id,
                detail: "\(format.rawValue) \(detail)"),
            actor: auth.scope.actor)
        var headers = HTTPFields()
        let stamp = DisplayFormat.instant(services.now()).prefix(10)
        let fileName = "\(name)-\(stamp).\(format.rawValue)"
        headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
        headers[.cacheControl] = "no-store"
        switch format {
        case .csv:
            headers[.contentType] = "text/csv; charset=utf-8"
            let body = ResponseBody { writer in
                let csv = CSVWriter()
                try await writer.write(ByteBuffer(bytes: CSVWriter.byteOrderMark + Array(csv.line(header).utf8)))
                var cursor: String?
                repeat {
                    let page = try await pages(cursor)
                    var text = ""
                    for row in page.rows { text += csv.line(row.map(Self.text)) }
                    try await writer.write(ByteBuffer(string: text))
                    cursor = page.next
                } while cursor != nil
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        case .xlsx:
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            let body = ResponseBody { writer in
                var xlsx = XLSXWriter()
                try await writer.write(ByteBuffer(bytes: xlsx.begin(sheetName: sheet, header: header)))
                var cursor: String?
                repeat {
                    let page = try await pages(cursor)
                    var bytes: [UInt8] = []
                    for row in page.rows { bytes += xlsx.row(row) }
                    try await writer.write(ByteBuffer(bytes: bytes))
                    cursor = page.next
                } while cursor != nil
                try await writer.write(ByteBuffer(bytes: xlsx.end()))
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    static func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): text
        case .number(let value): value == value.rounded() ? String(Int64(value)) : String(value)
        case .integer(let value): String(value)
        }
    }
}
