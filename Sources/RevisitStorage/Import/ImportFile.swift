import Foundation
import RevisitCore

/// A file opened as rows in its format (CSV unless it is a zip, i.e. XLSX) and encoding.
public struct ImportFile: @unchecked Sendable {
    public let format: ImportFormat
    /// The detected or forced text encoding; `xlsx` for workbooks.
    public let encoding: String
    /// Read by one task at a time (the import that owns the file).
    public let source: any RowSource
    /// The sheets of a workbook (empty for CSV).
    public let sheets: [String]

    /// Refuses files that are neither CSV nor XLSX, unknown sheets and encodings, with the reason.
    public static func open(path: String, encoding: TextEncoding?, sheet: String?) throws -> ImportFile {
        switch try format(path: path) {
        case .csv:
            let transcoder = try UTF8Transcoder(FileByteSource(path: path), encoding: encoding)
            return ImportFile(
                format: .csv, encoding: transcoder.encoding.rawValue, source: CSVReader(transcoder), sheets: [])
        case .xlsx:
            let reader = try XLSXReader(path: path, sheet: sheet)
            return ImportFile(format: .xlsx, encoding: "xlsx", source: reader, sheets: reader.sheetNames)
        case nil:
            throw RevisitError(.validation, code: .importNotTabular, field: "file")
        }
    }

    /// CSV unless the file is a zip (XLSX); nil for files that are neither (binary data, PDFs…).
    public static func format(path: String) throws -> ImportFormat? {
        let source = try FileByteSource(path: path)
        let head = try source.read(maxLength: 8192)
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        let (encoding, _) = TextEncoding.detect(head)
        // Text has no NUL bytes except as half of UTF-16 characters.
        if encoding != .utf16LE && encoding != .utf16BE && head.contains(0) { return nil }
        if head.starts(with: Array("%PDF".utf8)) { return nil }
        return .csv
    }

    /// The header and the first `count` rows, for the mapping preview.
    public func preview(rows count: Int) throws -> (header: [String], rows: [SourceRow]) {
        guard let header = try source.next() else { return ([], []) }
        var rows: [SourceRow] = []
        while rows.count < count, let row = try source.next() { rows.append(row) }
        return (header.cells, rows)
    }
}
