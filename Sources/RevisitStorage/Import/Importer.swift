import Crypto
import Foundation
import RevisitCore

/// One import from a file on disk, as the CLI, the web upload and the API all do it: identify the file
/// (SHA-256, so a re-run of a killed import finds its progress), open it in its format and encoding,
/// apply the store's saved mapping, and run it. A file that cannot be read as a table is recorded as a
/// refused run, so the history shows it with the reason.
public struct Importer: Sendable {
    public let store: any ImportStore
    public let batchSize: Int

    public init(store: any ImportStore, batchSize: Int = ImportRunner.defaultBatchSize) {
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
        /// Field → header chosen in the mapping preview; replaces the saved mapping's when given.
        public var overrides: [ImportField: String]?

        public init(
            storeId: Int64, kind: ImportKind, fileName: String, mappingName: String? = nil,
            encoding: TextEncoding? = nil, sheet: String? = nil, dryRun: Bool = false,
            overrides: [ImportField: String]? = nil
        ) {
            self.overrides = overrides
            self.storeId = storeId
            self.kind = kind
            self.fileName = fileName
            self.mappingName = mappingName
            self.encoding = encoding
            self.sheet = sheet
            self.dryRun = dryRun
        }
    }

    /// A run recorded and its file open, ready to be processed (by the caller or in the background).
    public struct Prepared: @unchecked Sendable {
        public let run: ImportRun
        let file: ImportFile?
        let overrides: [ImportField: String]
    }

    /// Identifies and opens the file and records the run. A file that cannot be read as a table is
    /// recorded as refused and comes back with nothing left to do.
    public func prepare(path: String, _ options: Options, scope: Scope) async throws -> Prepared {
        let (digest, size) = try Self.sha256(path: path)
        var overrides: [ImportField: String] = [:]
        if let name = options.mappingName, !name.isEmpty {
            guard
                let mapping = try await store.mappings(storeId: options.storeId, scope: scope).first(where: {
                    $0.name == name
                })
            else {
                throw RevisitError(.validation, code: .invalidValue, field: "mapping", args: ["value": name])
            }
            overrides = mapping.fields
        }
        if let chosen = options.overrides { overrides = chosen }
        let format = try ImportFile.format(path: path)
        let request = ImportRequest(
            storeId: options.storeId, kind: options.kind, fileName: options.fileName, fileSHA256: digest,
            fileSize: size, format: format ?? .csv, mappingName: options.mappingName ?? "", dryRun: options.dryRun)
        do {
            let file = try ImportFile.open(path: path, encoding: options.encoding, sheet: options.sheet)
            let run = try await store.start(request, encoding: file.encoding, scope: scope)
            return Prepared(run: run, file: file, overrides: overrides)
        } catch let error as RevisitError where error.kind == .validation {
            let run = try await store.start(request, encoding: "", scope: scope)
            let closed = try await store.close(run, status: .refused, code: error.code, args: error.args, scope: scope)
            return Prepared(run: closed, file: nil, overrides: [:])
        }
    }

    public func execute(
        _ prepared: Prepared, scope: Scope, progress: @escaping @Sendable (ImportRun, Double?) -> Void = { _, _ in }
    ) async throws -> ImportRun {
        guard let file = prepared.file else { return prepared.run }
        return try await ImportRunner(store: store, batchSize: batchSize).process(
            prepared.run, source: file.source, overrides: prepared.overrides, scope: scope, progress: progress)
    }

    public func run(
        path: String, _ options: Options, scope: Scope,
        progress: @escaping @Sendable (ImportRun, Double?) -> Void = { _, _ in }
    ) async throws -> ImportRun {
        try await execute(try await prepare(path: path, options, scope: scope), scope: scope, progress: progress)
    }

    /// The file's SHA-256 (hex) and size, read 4 MB at a time and hashed as read (through a byte source's
    /// array every byte was copied once more). Not mapped into memory: the whole file would count
    /// against the import's memory.
    public static func sha256(path: String) throws -> (String, Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RevisitError(.validation, code: .importUnreadable, field: "file", args: ["file": path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (Hex.lowercase(hasher.finalize()), size)
    }
}
