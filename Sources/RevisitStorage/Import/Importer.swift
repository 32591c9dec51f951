import Crypto
import Foundation
import RevisitCore

/// One import from a file on disk, as the CLI, the web upload and the API all do it: identify the file
/// (SHA-256, so a re-run of a killed import finds its progress), open it in its format and encoding,
/// apply the store's saved mapping, and run it. A file that cannot be read as a table is recorded as a
/// refused run, so the history shows it with the reason.
public struct Importer: Sendable {
    public let store: SQLImportStore
    public let batchSize: Int

    public init(store: SQLImportStore, batchSize: Int = 2_000) {
        self.store = store
        self.batchSize = batchSize
    }

    public struct Options: Sendable {
        public var storeId: Int64
        public var kind: ImportKind
        public var fileName: String
        public var mappingName: String?
        public var encoding: TextEncoding?
        public var sheet: String?
        public var dryRun: Bool

        public init(
            storeId: Int64, kind: ImportKind, fileName: String, mappingName: String? = nil,
            encoding: TextEncoding? = nil, sheet: String? = nil, dryRun: Bool = false
        ) {
            self.storeId = storeId
            self.kind = kind
            self.fileName = fileName
            self.mappingName = mappingName
            self.encoding = encoding
            self.sheet = sheet
            self.dryRun = dryRun
        }
    }

    public func run(
        path: String, _ options: Options, scope: Scope,
        progress: @escaping @Sendable (ImportRun, Double?) -> Void = {
            _, _ in
        }
    ) async throws -> ImportRun {
        let (digest, size) = try Self.sha256(path: path)
        var overrides: [ImportField: String] = [:]
        if let name = options.mappingName {
            guard
                let mapping = try await store.mappings(storeId: options.storeId, scope: scope).first(where: {
                    $0.name == name
                })
            else {
                throw RevisitError(.validation, code: .invalidValue, field: "mapping", args: ["value": name])
            }
            overrides = mapping.fields
        }
        let format = try Self.format(path: path)
        let request = ImportRequest(
            storeId: options.storeId, kind: options.kind, fileName: options.fileName, fileSHA256: digest,
            fileSize: size, format: format ?? .csv, mappingName: options.mappingName ?? "", dryRun: options.dryRun)
        let source: any RowSource
        let encoding: String
        do {
            switch format {
            case .csv:
                let transcoder = try UTF8Transcoder(FileByteSource(path: path), encoding: options.encoding)
                source = CSVReader(transcoder)
                encoding = transcoder.encoding.rawValue
            case .xlsx:
                source = try XLSXReader(path: path, sheet: options.sheet)
                encoding = "xlsx"
            case nil:
                throw RevisitError(.validation, code: .importNotTabular, field: "file")
            }
        } catch let error as RevisitError {
            let run = try await store.start(request, encoding: "", scope: scope)
            return try await store.close(run, status: .refused, code: error.code, args: error.args, scope: scope)
        }
        return try await ImportRunner(store: store, batchSize: batchSize).run(
            request, source: source, encoding: encoding, overrides: overrides, scope: scope, progress: progress)
    }

    /// CSV unless the file is a zip (XLSX); nil for files that are neither (binary data, PDFs…).
    static func format(path: String) throws -> ImportFormat? {
        let source = try FileByteSource(path: path)
        let head = try source.read(maxLength: 8192)
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        let (encoding, _) = TextEncoding.detect(head)
        // Text has no NUL bytes except as half of UTF-16 characters.
        if encoding != .utf16LE && encoding != .utf16BE && head.contains(0) { return nil }
        if head.starts(with: Array("%PDF".utf8)) { return nil }
        return .csv
    }

    /// The file's SHA-256 (hex) and size, read in 1 MB chunks.
    public static func sha256(path: String) throws -> (String, Int64) {
        let source = try FileByteSource(path: path)
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let chunk = try source.read(maxLength: 1 << 20)
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        let hex = hasher.finalize().map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }
        return (hex.joined(), size)
    }
}
