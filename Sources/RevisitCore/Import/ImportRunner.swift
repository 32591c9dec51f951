import Foundation

/// Reads a file row by row, turns rows into records, and hands them to the store in batches, each
/// committed with the run's progress. A run interrupted (killed, crashed) is resumed by running the same
/// file again: the rows it committed are read but skipped, so the end result is exactly a clean run's.
public struct ImportRunner: Sendable {
    public let store: any ImportStore
    public let batchSize: Int
    /// Rows per committed batch. A batch is the most a killed import redoes; ten thousand rows keep the
    /// per-commit cost (index pages written again at each commit) small and memory well under 300 MB.
    public static let defaultBatchSize = 10_000

    public init(store: any ImportStore, batchSize: Int = defaultBatchSize) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Records the run and imports the file; `progress` is told after every batch (the run so far and the
    /// share of the file read).
    public func run(
        _ request: ImportRequest, source: any RowSource, encoding: String, overrides: [ImportField: String] = [:],
        scope: Scope, progress: @Sendable (ImportRun, Double?) -> Void = { _, _ in }
    ) async throws -> ImportRun {
        let run = try await store.start(request, encoding: encoding, scope: scope)
        return try await process(run, source: source, overrides: overrides, scope: scope, progress: progress)
    }

    /// Imports the file into a run already recorded (resuming after its committed rows).
    public func process(
        _ started: ImportRun, source: any RowSource, overrides: [ImportField: String] = [:], scope: Scope,
        progress: @Sendable (ImportRun, Double?) -> Void = { _, _ in }
    ) async throws -> ImportRun {
        var run = started
        // The next batch is read while the last one is written: this task parses, the database works on
        // its own threads. Batches still commit one after the other, in file order.
        var writing: Task<ImportRun, any Error>?
        do {
            guard let header = try source.next() else {
                return try await store.close(run, status: .refused, code: .importEmpty, args: [:], scope: scope)
            }
            let mapping = ColumnMapping(kind: run.kind, headers: header.cells, overrides: overrides)
            do {
                try mapping.requireComplete()
            } catch {
                return try await store.close(run, status: .refused, code: error.code, args: error.args, scope: scope)
            }
            var reader = BatchReader(mapping: mapping)
            var skip = run.rowsDone
            // Room for a whole batch at once: growing an array of records copies them each time.
            var batch = ImportBatch(reserving: batchSize)
            func handOver(_ full: ImportBatch) async throws {
                if let writing { run = try await writing.value }
                progress(run, source.progress)
                let current = run
                writing = Task { try await store.apply(full, to: current, scope: scope) }
            }
            var sinceYield = 0
            while let row = try source.next() {
                // Conversion runs for skipped rows too: line numbering and duplicate checks need them.
                // Parsing runs on a shared thread (an event loop in the server): now and then it lets others
                // run, the batch just handed to the writer first of all.
                sinceYield += 1
                if sinceYield == 500 {
                    sinceYield = 0
                    await Task.yield()
                }
                guard reader.add(row, to: &batch, counting: skip == 0) else { continue }
                if skip > 0 {
                    skip -= 1
                    continue
                }
                if batch.rows >= batchSize {
                    try await handOver(batch)
                    batch = ImportBatch(reserving: batchSize)
                }
            }
            if !batch.isEmpty { try await handOver(batch) }
            if let writing { run = try await writing.value }
            writing = nil
            run = try await store.finish(run, scope: scope)
            progress(run, 1)
            return run
        } catch {
            // A batch still being written finishes (or fails) before the run is closed.
            if let writing, let written = try? await writing.value { run = written }
            guard let refusal = error as? RevisitError else { throw error }
            return try await store.close(run, status: .refused, code: refusal.code, args: refusal.args, scope: scope)
        }
    }
}

/// Turns rows into a batch's records: numbers lines within their order when the file has no line
/// numbers, and refuses a second row for a customer or vehicle key seen earlier in the file (a re-import
/// would otherwise flip between the two).
struct BatchReader {
    let mapping: ColumnMapping
    let reader: ImportRowReader
    private var seen: [String: Int] = [:]
    private var linesPerOrder: [String: Int] = [:]
    private var orders: Set<String> = []
    private var previousOrder: ImportRowReader.PreviousOrder?
    private var lastOrder: String?

    init(mapping: ColumnMapping) {
        self.mapping = mapping
        self.reader = ImportRowReader(mapping: mapping)
        // Room for a large file's orders from the start: growing the set rehashes every number so far.
        if mapping.kind == .repairOrders || mapping.kind == .lines { orders.reserveCapacity(1 << 16) }
    }

    /// Adds the row to `batch` (when `counting`); false for a blank row, which is not a data row at all.
    mutating func add(_ row: SourceRow, to batch: inout ImportBatch, counting: Bool) -> Bool {
        if row.cells.allSatisfy({ ColumnMapping.trimmed($0).isEmpty }) { return false }
        var problems: [ImportProblem] = []
        switch mapping.kind {
        case .customers:
            switch reader.customer(row) {
            case .success(let record):
                if let problem = duplicate(record.customerNo, field: .customerNo, line: row.line) {
                    problems.append(problem)
                } else if counting {
                    batch.customers.append(record)
                }
            case .failure(let failure): problems = failure.problems
            }
        case .vehicles:
            switch reader.vehicle(row) {
            case .success(let record):
                if let problem = duplicate(record.vin, field: .vin, line: row.line) {
                    problems.append(problem)
                } else if counting {
                    batch.vehicles.append(record)
                }
            case .failure(let failure): problems = failure.problems
            }
        case .repairOrders, .lines:
            switch reader.repairOrder(row, after: &previousOrder) {
            case .success(let record):
                // Into the batch first and completed there: a record is a few hundred bytes, and each
                // copy of it on the way showed in the time of reading a file.
                batch.repairOrders.append(record)
                let last = batch.repairOrders.count - 1
                let number = batch.repairOrders[last].orderNo
                // An order's rows come together: only a new number needs the set.
                batch.repairOrders[last].continuesOrder = number == lastOrder || !orders.insert(number).inserted
                lastOrder = number
                if batch.repairOrders[last].item.map({ $0.lineNo == nil }) == true {
                    let next = (linesPerOrder[number] ?? 0) + 1
                    linesPerOrder[number] = next
                    batch.repairOrders[last].item?.lineNo = next
                }
                if !counting { batch.repairOrders.removeLast() }
            case .failure(let failure): problems = failure.problems
            }
        }
        if counting {
            batch.problems += problems
            batch.rows += 1
        }
        return true
    }

    private mutating func duplicate(_ key: String, field: ImportField, line: Int) -> ImportProblem? {
        if let first = seen[key] {
            return ImportProblem(
                line: line, column: mapping.header(of: field), code: .importDuplicateKey,
                args: ["value": key, "line": String(first)])
        }
        seen[key] = line
        return nil
    }
}
