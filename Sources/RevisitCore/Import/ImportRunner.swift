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
            // A repair-order file's rows are read a run of one order's rows at a time, so an order kept with
            // its rows' hash can be passed over unread (`OrderSources`). The hashes come from the store
            // while the first rows are read.
            var runs = run.kind == .repairOrders ? OrderRuns(mapping: mapping) : nil
            let storeId = run.storeId
            let fetching = runs.map { _ in Task { try await store.orderSources(storeId: storeId, scope: scope) } }
            var sources: OrderSources?
            func readRun(_ order: OrderRuns.Run) async throws {
                if sources == nil { sources = try await fetching?.value ?? OrderSources() }
                reader.read(order, sources: sources!, into: &batch, skip: &skip)
                if batch.rows >= batchSize {
                    try await handOver(batch)
                    batch = ImportBatch(reserving: batchSize)
                }
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
                if runs != nil {
                    guard !BatchReader.isBlank(row) else { continue }
                    if let closed = runs!.add(row) { try await readRun(closed) }
                    continue
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
            if let last = runs?.close() { try await readRun(last) }
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
        if mapping.kind == .repairOrders || mapping.kind == .lines { orders.reserveCapacity(1 << 18) }
    }

    /// A row of blank cells, which is not a data row at all.
    static func isBlank(_ row: SourceRow) -> Bool { row.cells.allSatisfy({ ColumnMapping.trimmed($0).isEmpty }) }

    /// An order's run of rows: counted unchanged when it is the order's first and hashes as the store
    /// keeps it, else read into `batch` and, when every row is good and names a line once, given its hash
    /// to keep. Rows before the resume point (`skip`) were committed by an earlier run and are not counted
    /// again.
    mutating func read(_ order: OrderRuns.Run, sources: OrderSources, into batch: inout ImportBatch, skip: inout Int) {
        let hash = Int64(bitPattern: order.hash.value)
        if order.first, let number = order.number, sources.source(of: number) == hash {
            passOver(number, order.rows)
            for _ in order.rows {
                if skip > 0 {
                    skip -= 1
                } else {
                    batch.rows += 1
                    batch.unchangedRows += 1
                }
            }
            return
        }
        let start = batch.repairOrders.count
        let problems = batch.problems.count
        var resumedWithin = false
        for row in order.rows {
            _ = add(row, to: &batch, counting: skip == 0)
            if skip > 0 {
                skip -= 1
                resumedWithin = true
            }
        }
        guard order.first, !resumedWithin, batch.problems.count == problems, batch.repairOrders.count > start else {
            return
        }
        // A line named twice is written twice (the last wins), and a second reading would write it again.
        var lineNumbers: Set<Int> = []
        for position in start..<batch.repairOrders.count {
            if let line = batch.repairOrders[position].item?.lineNo, !lineNumbers.insert(line).inserted { return }
        }
        for position in start..<batch.repairOrders.count { batch.repairOrders[position].source = hash }
    }

    /// What reading an unchanged run's rows would have left behind: its order met, its lines numbered.
    private mutating func passOver(_ number: String, _ rows: [SourceRow]) {
        orders.insert(number)
        lastOrder = number
        guard mapping.kind == .lines || mapping.has(.itemName) else { return }
        var numbered = rows.count
        if mapping.has(.lineNo) {
            for row in rows where mapping.value(.lineNo, in: row.cells) != nil { numbered -= 1 }
        }
        if numbered > 0 { linesPerOrder[number, default: 0] += numbered }
    }

    /// Adds the row to `batch` (when `counting`); false for a blank row, which is not a data row at all.
    mutating func add(_ row: SourceRow, to batch: inout ImportBatch, counting: Bool) -> Bool {
        if Self.isBlank(row) { return false }
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
