import Foundation

/// A stable hash of the cells a repair order's rows give its fields: the same rows read through the same
/// mapping hash the same in every process, so an order stored with its rows' hash (`import_src`) is known
/// unchanged by comparing one number, without reading its rows into records. Reading rows into records
/// was the unchanged re-import's bottleneck (its parse thread, 57 % of the samples of a 1M-row run).
///
/// Eight bytes at a time, a multiply and a shift per word (`Fingerprint`'s FNV takes a byte a step).
/// Little-endian words, as on every machine Revisit runs on.
public struct OrderSourceHash: Sendable, Equatable {
    public private(set) var value: UInt64
    /// Raise when reading a row into a record changes (a value read differently): hashes stored before
    /// then no longer match, and every order is read again once.
    static let rules: UInt64 = 1

    init(seed: UInt64) { value = seed }

    /// The hash every order of a file starts from: the kind, the rules and which column each field is
    /// read from (another mapping reads the same cells into other fields).
    public init(mapping: ColumnMapping) {
        value = 0x5265_7669_7369_7421 ^ Self.rules
        mix(UInt64(mapping.kind.rawValue.utf8.count))
        add(mapping.kind.rawValue)
        for (field, column) in mapping.columns.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            add(field.rawValue)
            mix(UInt64(column))
        }
    }

    @inline(__always)
    private mutating func mix(_ word: UInt64) {
        value = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
        value ^= value >> 29
    }

    /// One cell: its words, then its last bytes with its length (so cells cannot run into each other).
    mutating func add(_ text: String) {
        // In place: a String read from a file is contiguous UTF-8 (copying it to make sure cost a retain).
        if text.utf8.withContiguousStorageIfAvailable({ add(bytes: $0) }) == nil {
            var copy = text
            copy.withUTF8 { add(bytes: $0) }
        }
    }

    mutating func add(bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count {
                mix(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        mix(tail ^ (UInt64(count & 0xFF) << 56) ^ 0x80)
    }

    /// A row's cells in `columns` (a column past the row's end counts as missing, not as blank).
    public mutating func add(row cells: [String], columns: [Int]) {
        for column in columns {
            if column < cells.count { add(cells[column]) } else { mix(0xFFFF_FFFF_FFFF_FFFF) }
        }
        mix(0x0A0A_0A0A_0A0A_0A0A)
    }
}

/// The hashes a store keeps with its repair orders (`import_src`), by order number: fetched once when a
/// repair-order file starts, so each run of rows is decided as soon as it is read, while its cells are
/// still in the processor's cache (runs held back for a batch's look-up made a first import a third
/// slower). Keyed by a hash of the number: a store's hundreds of thousands of orders then take 16 bytes
/// each. Two numbers sharing a key cannot pass a changed run over: the kept hash covers the number's cell
/// too, so it would also have to match the other order's rows.
public struct OrderSources: Sendable {
    private var byNumber: [UInt64: Int64] = [:]

    public init(reserving count: Int = 0) { byNumber.reserveCapacity(count) }

    public mutating func keep(_ source: Int64, orderNo: String) { byNumber[Self.key(orderNo)] = source }

    /// The same from the number's UTF-8 bytes, as a database hands them out (no String per order).
    public mutating func keep(_ source: Int64, orderNoUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        var hash = OrderSourceHash(seed: Self.keySeed)
        hash.add(bytes: bytes)
        byNumber[hash.value] = source
    }

    public func source(of orderNo: String) -> Int64? { byNumber.isEmpty ? nil : byNumber[Self.key(orderNo)] }

    static let keySeed: UInt64 = 0x6F72_6465_725F_6E6F

    static func key(_ number: String) -> UInt64 {
        var hash = OrderSourceHash(seed: Self.keySeed)
        hash.add(number)
        return hash.value
    }
}

/// A repair-order file's rows by order: each run of rows naming the same order (a flattened export
/// writes an order's lines together) is handed out whole once the next row names another order. Only a
/// run that is its order's first in the file may be passed over unread.
struct OrderRuns {
    struct Run {
        /// The order number (trimmed), nil for rows without one (read as before, and refused).
        var number: String?
        var rows: [SourceRow] = []
        var hash: OrderSourceHash
        /// The first rows in the file naming this order: only these decide its fields.
        var first: Bool
    }

    let mapping: ColumnMapping
    private let seed: OrderSourceHash
    /// The mapped columns, in order: cells of other columns are never read.
    private let columns: [Int]
    private var seen: Set<String> = []
    private var current: Run?

    init(mapping: ColumnMapping) {
        self.mapping = mapping
        seed = OrderSourceHash(mapping: mapping)
        columns = Array(Set(mapping.columns.values)).sorted()
        // A large history's orders without growing the set (each growth hashes every number again).
        seen.reserveCapacity(1 << 18)
    }

    /// Takes a data row (not a blank one); returns the run it ended, if any.
    mutating func add(_ row: SourceRow) -> Run? {
        let number = mapping.value(.orderNo, in: row.cells)
        var ended: Run?
        if current == nil || number == nil || current!.number != number {
            ended = close()
            let first = number.map { seen.insert($0).inserted } ?? false
            current = Run(number: number, rows: [], hash: seed, first: first)
        }
        current!.rows.append(row)
        current!.hash.add(row: row.cells, columns: columns)
        return ended
    }

    /// Ends the run being read (at the end of the file, or when the next row names another order).
    mutating func close() -> Run? {
        defer { current = nil }
        return current
    }
}
