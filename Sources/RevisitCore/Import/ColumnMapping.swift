import Foundation

/// Which column of a file holds which field, found from the header row by name and overridable by the
/// store's saved mappings (field → header text; an empty text leaves the field unmapped even when a
/// header would match it).
public struct ColumnMapping: Sendable, Equatable {
    public static func == (lhs: ColumnMapping, rhs: ColumnMapping) -> Bool {
        lhs.kind == rhs.kind && lhs.headers == rhs.headers && lhs.columns == rhs.columns
    }

    public let kind: ImportKind
    public let headers: [String]
    public let columns: [ImportField: Int]
    /// The same by `ImportField.ordinal` (-1 for none): every cell of every row is found through this.
    private let byOrdinal: [Int]

    public init(kind: ImportKind, headers: [String], overrides: [ImportField: String] = [:]) {
        self.kind = kind
        self.headers = headers
        let normalized = headers.map(ImportField.normalizeHeader)
        var columns: [ImportField: Int] = [:]
        var taken: Set<Int> = []
        let unmapped = Set(overrides.filter { $0.value.isEmpty }.keys)
        for (field, header) in overrides where kind.fields.contains(field) && !header.isEmpty {
            let wanted = ImportField.normalizeHeader(header)
            if let index = normalized.firstIndex(of: wanted), !taken.contains(index) {
                columns[field] = index
                taken.insert(index)
            }
        }
        for field in kind.fields where columns[field] == nil && !unmapped.contains(field) {
            let names = Set(field.synonyms)
            if let index = normalized.indices.first(where: { !taken.contains($0) && names.contains(normalized[$0]) }) {
                columns[field] = index
                taken.insert(index)
            }
        }
        self.columns = columns
        var byOrdinal = [Int](repeating: -1, count: ImportField.allCases.count)
        for (field, column) in columns { byOrdinal[field.ordinal] = column }
        self.byOrdinal = byOrdinal
    }

    /// Required fields no column was found for; a file missing any is refused whole.
    public var missing: [ImportField] { kind.required.filter { columns[$0] == nil } }

    /// Headers no field uses (shown in the preview so a person can map them by hand).
    public var unused: [String] {
        let used = Set(columns.values)
        return headers.indices.filter { !used.contains($0) }.map { headers[$0] }
    }

    public func has(_ field: ImportField) -> Bool { byOrdinal[field.ordinal] >= 0 }

    /// The header text a field was read from, for error reports.
    public func header(of field: ImportField) -> String { columns[field].map { headers[$0] } ?? field.rawValue }

    /// The trimmed cell for a field; nil when the field is not mapped or the cell is blank.
    public func value(_ field: ImportField, in cells: [String]) -> String? {
        let index = byOrdinal[field.ordinal]
        guard index >= 0, index < cells.count else { return nil }
        let text = Self.trimmed(cells[index])
        return text.isEmpty ? nil : text
    }

    /// Whitespace (ASCII, no-break and ideographic spaces) cut from both ends. Most cells have none and
    /// come back as they are; Foundation's trimming cost a fifth of an import.
    static func trimmed(_ text: String) -> String {
        // The bytes the spaces can begin and end with decide most cells without decoding a scalar.
        let ends = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty ? nil : (bytes[0], bytes[bytes.count - 1])
        }
        guard let (head, tail) = ends ?? (text.utf8.first.map { ($0, text.utf8.last!) }) else { return text }
        if !mayBeginSpace(head) && !mayEndSpace(tail) { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !isSpace(first) && !isSpace(last) { return text }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    /// First bytes of the spaces below: ASCII ones, then those of U+00A0, U+3000 and U+FEFF.
    private static func mayBeginSpace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09...0x0D, 0x20, 0xC2, 0xE3, 0xEF: true
        default: false
        }
    }

    /// Last bytes of the same spaces.
    private static func mayEndSpace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09...0x0D, 0x20, 0xA0, 0x80, 0xBF: true
        default: false
        }
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// The refusal for a file without its required columns, naming them and the headers it has.
    public func requireComplete() throws(RevisitError) {
        guard missing.isEmpty else {
            throw RevisitError(
                .validation, code: .importMissingColumns, field: "file",
                args: [
                    "missing": missing.map(\.rawValue).joined(separator: ", "),
                    "headers": headers.joined(separator: ", "),
                ])
        }
    }
}
