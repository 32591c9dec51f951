import Foundation

public enum ImportStatus: String, Sendable, Codable, CaseIterable {
    /// Rows are being written (or the process died while they were: a re-run of the file resumes it).
    case running
    case done
    /// The file was refused whole (not CSV/XLSX, a required column missing…).
    case refused
    case failed
    /// A later run of the same file took over from its last committed batch.
    case resumed
}

public enum ImportFormat: String, Sendable, Codable {
    case csv, xlsx
}

/// What a run counts. `rowsDone` is how many data rows are committed (the resume point).
public struct ImportCounts: Sendable, Equatable, Codable {
    public var read = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0

    public init(read: Int = 0, inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, rejected: Int = 0) {
        self.read = read
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
    }

    public static func + (lhs: ImportCounts, rhs: ImportCounts) -> ImportCounts {
        ImportCounts(
            read: lhs.read + rhs.read, inserted: lhs.inserted + rhs.inserted, updated: lhs.updated + rhs.updated,
            unchanged: lhs.unchanged + rhs.unchanged, rejected: lhs.rejected + rhs.rejected)
    }
}

/// One import of one file into one store.
public struct ImportRun: Sendable, Equatable {
    public var id: Int64
    public var storeId: Int64
    public var kind: ImportKind
    public var fileName: String
    public var fileSHA256: String
    public var fileSize: Int64
    public var format: ImportFormat
    public var encoding: String
    public var mappingName: String
    public var dryRun: Bool
    public var status: ImportStatus
    public var counts: ImportCounts
    public var rowsDone: Int
    public var resumedFrom: Int64?
    /// Why a file was refused or a run failed, as an error code and its arguments.
    public var messageCode: String?
    public var messageArgs: [String: String]
    public var userLogin: String
    public var startedAt: Date
    public var finishedAt: Date?

    public init(
        id: Int64, storeId: Int64, kind: ImportKind, fileName: String, fileSHA256: String, fileSize: Int64,
        format: ImportFormat, encoding: String, mappingName: String, dryRun: Bool, status: ImportStatus,
        counts: ImportCounts, rowsDone: Int, resumedFrom: Int64?, messageCode: String?,
        messageArgs: [String: String], userLogin: String, startedAt: Date, finishedAt: Date?
    ) {
        self.id = id
        self.storeId = storeId
        self.kind = kind
        self.fileName = fileName
        self.fileSHA256 = fileSHA256
        self.fileSize = fileSize
        self.format = format
        self.encoding = encoding
        self.mappingName = mappingName
        self.dryRun = dryRun
        self.status = status
        self.counts = counts
        self.rowsDone = rowsDone
        self.resumedFrom = resumedFrom
        self.messageCode = messageCode
        self.messageArgs = messageArgs
        self.userLogin = userLogin
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// What starting a run needs to know about the file.
public struct ImportRequest: Sendable, Equatable {
    public var storeId: Int64
    public var kind: ImportKind
    public var fileName: String
    public var fileSHA256: String
    public var fileSize: Int64
    public var format: ImportFormat
    public var mappingName: String
    public var dryRun: Bool

    public init(
        storeId: Int64, kind: ImportKind, fileName: String, fileSHA256: String, fileSize: Int64,
        format: ImportFormat, mappingName: String = "", dryRun: Bool = false
    ) {
        self.storeId = storeId
        self.kind = kind
        self.fileName = fileName
        self.fileSHA256 = fileSHA256
        self.fileSize = fileSize
        self.format = format
        self.mappingName = mappingName
        self.dryRun = dryRun
    }
}

/// Rows read from the file and turned into records, written as one transaction with the run's progress.
public struct ImportBatch: Sendable {
    public var customers: [CustomerImport] = []
    public var vehicles: [VehicleImport] = []
    public var repairOrders: [RepairOrderImport] = []
    public var problems: [ImportProblem] = []
    /// Data rows this batch covers, good and bad (the resume point moves by this much).
    public var rows = 0
    /// Rows of repair orders known unchanged by their stored source hash, not read into records: counted
    /// unchanged by the store.
    public var unchangedRows = 0

    public init() {}

    /// A batch with room for `rows` repair-order rows (the volume kind).
    public init(reserving rows: Int) {
        repairOrders.reserveCapacity(rows)
    }

    public var isEmpty: Bool { rows == 0 }
}

/// A store's saved column mapping: field → header text in its DMS's files.
public struct ImportMapping: Sendable, Equatable {
    public var name: String
    public var kind: ImportKind
    public var fields: [ImportField: String]

    public init(name: String, kind: ImportKind, fields: [ImportField: String]) {
        self.name = name
        self.kind = kind
        self.fields = fields
    }
}

public protocol ImportStore: Sendable {
    /// Records a new run. When an earlier run of the same file into the same store never finished, the
    /// new run takes over its counts, problems and committed rows (`rowsDone`), and the caller skips them.
    func start(_ request: ImportRequest, encoding: String, scope: Scope) async throws -> ImportRun
    /// Writes one batch: the rows, their problems and the run's new counts, in one transaction.
    func apply(_ batch: ImportBatch, to run: ImportRun, scope: Scope) async throws -> ImportRun
    /// Resolves references left open (rows pointing at keys that arrived later) and closes the run.
    func finish(_ run: ImportRun, scope: Scope) async throws -> ImportRun
    /// Closes a run refused whole or failed, with the reason.
    func close(
        _ run: ImportRun, status: ImportStatus, code: ErrorCode, args: [String: String], scope: Scope
    ) async throws -> ImportRun
    func run(id: Int64, scope: Scope) async throws -> ImportRun
    func runs(storeId: Int64?, limit: Int, scope: Scope) async throws -> [ImportRun]
    func problems(importId: Int64, limit: Int, scope: Scope) async throws -> [ImportProblem]
    func mappings(storeId: Int64, scope: Scope) async throws -> [ImportMapping]
    func saveMapping(_ mapping: ImportMapping, storeId: Int64, scope: Scope) async throws
    /// The hashes of the rows the store's repair orders were last read from, where kept (`OrderSources`).
    func orderSources(storeId: Int64, scope: Scope) async throws -> OrderSources
    /// Service-advisor names from DMS files that match no user of the store, with their order counts.
    func unlinkedAdvisors(storeId: Int64, scope: Scope) async throws -> [UnlinkedAdvisor]
    /// Links a name from the files to a user of the store: its orders now, and later imports.
    func linkAdvisor(name: String, userId: Int64, storeId: Int64, scope: Scope) async throws -> Int
}

extension ImportStore {
    /// A store that keeps no source hashes: every row is read.
    public func orderSources(storeId: Int64, scope: Scope) async throws -> OrderSources { OrderSources() }
}

public struct UnlinkedAdvisor: Sendable, Equatable {
    public var name: String
    public var orders: Int

    public init(name: String, orders: Int) {
        self.name = name
        self.orders = orders
    }
}
