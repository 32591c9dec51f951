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
        var encoder: any ExportEncoder
        switch format {
        case .csv:
            headers[.contentType] = "text/csv; charset=utf-8"
            encoder = CSVEncoder(header: header)
        case .xlsx:
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            encoder = XLSXEncoder(sheet: sheet, header: header)
        }
        let body = ResponseBody { [encoder] writer in
            var encoder = encoder
            try await writer.write(ByteBuffer(bytes: encoder.begin()))
            var cursor: String?
            repeat {
                let page = try await pages(cursor)
                try await writer.write(ByteBuffer(bytes: encoder.rows(page.rows)))
                cursor = page.next
            } while cursor != nil
            try await writer.write(ByteBuffer(bytes: encoder.end()))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): text
        case .number(let value): value == value.rounded() ? String(Int64(value)) : String(value)
        case .integer(let value): String(value)
        }
    }
}

/// Turns pages of cells into a file's bytes, front to back.
protocol ExportEncoder: Sendable {
    mutating func begin() -> [UInt8]
    mutating func rows(_ rows: [[ExportResponse.Cell]]) -> [UInt8]
    mutating func end() -> [UInt8]
}

/// UTF-8 with a byte-order mark, so Excel and WPS read Chinese correctly.
struct CSVEncoder: ExportEncoder {
    let header: [String]
    let csv = CSVWriter()

    func begin() -> [UInt8] { CSVWriter.byteOrderMark + Array(csv.line(header).utf8) }
    func rows(_ rows: [[ExportResponse.Cell]]) -> [UInt8] {
        Array(rows.map { csv.line($0.map(ExportResponse.text)) }.joined().utf8)
    }
    func end() -> [UInt8] { [] }
}

struct XLSXEncoder: ExportEncoder {
    let sheet: String
    let header: [String]
    var xlsx = XLSXWriter()

    init(sheet: String, header: [String]) {
        self.sheet = sheet
        self.header = header
    }

    mutating func begin() -> [UInt8] { xlsx.begin(sheetName: sheet, header: header) }
    mutating func rows(_ rows: [[ExportResponse.Cell]]) -> [UInt8] { rows.flatMap { xlsx.row($0) } }
    mutating func end() -> [UInt8] { xlsx.end() }
}
