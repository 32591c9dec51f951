import Foundation

/// One record of a file: its cells and the physical line it starts on (1 = the first line of the file).
public struct SourceRow: Sendable, Equatable {
    public var line: Int
    public var cells: [String]

    public init(line: Int, cells: [String]) {
        self.line = line
        self.cells = cells
    }
}

/// Anything that yields a file's records one by one: CSV, XLSX.
public protocol RowSource: AnyObject {
    func next() throws -> SourceRow?
    /// How far through the file, 0…1, when the size is known.
    var progress: Double? { get }
}

/// A byte-level RFC 4180 reader over UTF-8 input: quoted fields with embedded separators, quotes ("")
/// and newlines, CRLF or LF, a trailing blank line, and Excel's `="0123"` trick for keeping leading
/// zeros. It works on raw bytes and makes a String only per finished field; the public Swift CSV
/// packages are one to two orders of magnitude slower.
public final class CSVReader: RowSource {
    private var source: any ByteSource
    private let separator: UInt8
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    private let chunkSize: Int
    private let progressSource: FileByteSource?
    /// The last record's cells: the next one most likely has as many, and a flattened export repeats
    /// an order's cells on each of its lines' rows, so a cell with the same bytes as the one above it is
    /// that String again (no new String to validate and allocate, and equal at a pointer's glance).
    private var above: [String] = []

    public init(_ source: any ByteSource, separator: UInt8 = UInt8(ascii: ","), chunkSize: Int = 256 * 1024) {
        self.source = source
        self.separator = separator
        self.chunkSize = chunkSize
        self.progressSource = ((source as? UTF8Transcoder)?.underlying ?? source) as? FileByteSource
    }

    public var progress: Double? {
        guard let file = progressSource, file.size > 0 else { return nil }
        return Double(file.offset) / Double(file.size)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let equals = UInt8(ascii: "=")

    /// The byte at `position`, reading the next chunk when needed; nil at the end of input.
    @inline(__always)
    private func peek() throws -> UInt8? {
        if position < buffer.count { return buffer[position] }
        if atEnd { return nil }
        // Drop what has been consumed; a field in progress keeps its bytes in `field`.
        buffer = try source.read(maxLength: chunkSize)
        position = 0
        if buffer.isEmpty {
            atEnd = true
            return nil
        }
        return buffer[0]
    }

    /// An unquoted cell that ends inside the buffer, read at `position` and consumed with its separator
    /// or line end (`ended`); nil when it starts with a quote or runs past the buffer.
    private func plainCell(_ column: Int) -> (text: String, ended: Bool)? {
        buffer.withUnsafeBufferPointer { bytes in
            var end = position
            // Skip eight bytes at a time while none of them is a separator, a line end or a quote.
            while end + 8 <= bytes.count {
                let word = UnsafeRawPointer(bytes.baseAddress! + end).loadUnaligned(as: UInt64.self)
                if Self.hasAny(word, separator) { break }
                end += 8
            }
            while end < bytes.count {
                switch bytes[end] {
                case separator:
                    let text = text(column, UnsafeBufferPointer(rebasing: bytes[position..<end]))
                    position = end + 1
                    return (text, false)
                case Self.lf, Self.cr:
                    // A CR at the end of the buffer may be half a CRLF: the byte loop reads the next chunk.
                    if bytes[end] == Self.cr && end + 1 == bytes.count { return nil }
                    let text = text(column, UnsafeBufferPointer(rebasing: bytes[position..<end]))
                    position = end + 1
                    if bytes[end] == Self.cr && bytes[end + 1] == Self.lf { position += 1 }
                    line += 1
                    return (text, true)
                case Self.quote:
                    return nil
                default:
                    end += 1
                }
            }
            return nil
        }
    }

    /// Whether any byte of `word` is `separator`, a line end or a quote (the bit trick that finds a zero
    /// byte, on the word XORed with each).
    @inline(__always)
    private static func hasAny(_ word: UInt64, _ separator: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func has(_ byte: UInt8) -> UInt64 {
            let x = word ^ (ones &* UInt64(byte))
            return (x &- ones) & ~x & highs
        }
        return (has(separator) | has(lf) | has(cr) | has(quote)) != 0
    }

    /// A quoted cell with no quotes inside that ends inside the buffer ("¥1,299.00" in a DMS export),
    /// consumed with its separator or line end like `plainCell`; nil for any other.
    private func quotedCell(_ column: Int) -> (text: String, ended: Bool)? {
        buffer.withUnsafeBufferPointer { bytes in
            guard position < bytes.count, bytes[position] == Self.quote else { return nil }
            var end = position + 1
            while end < bytes.count && bytes[end] != Self.quote {
                if bytes[end] == Self.lf { return nil }  // line counting is the byte loop's
                end += 1
            }
            // The quote, then a separator or a line end, all in the buffer.
            guard end + 2 < bytes.count else { return nil }
            let after = bytes[end + 1]
            guard after == separator || after == Self.lf || after == Self.cr else { return nil }
            let text = text(column, UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end]))
            position = end + 2
            if after == separator { return (text, false) }
            if after == Self.cr && bytes[end + 2] == Self.lf { position += 1 }
            line += 1
            return (text, true)
        }
    }

    /// Byte-equal buffers of the same length, compared a word at a time in place (cells are short, and
    /// a call to memcmp cost more than the comparing).
    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = a.count
        guard count > 0 else { return true }
        let left = UnsafeRawPointer(a.baseAddress!)
        let right = UnsafeRawPointer(b.baseAddress!)
        var index = 0
        while index + 8 <= count {
            if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    /// The cell's text: the one above it when the bytes are the same.
    @inline(__always)
    private func text(_ column: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if column < above.count {
            let same = above[column].utf8.withContiguousStorageIfAvailable { stored in
                stored.count == bytes.count && Self.equal(stored, bytes)
            }
            if same == true { return above[column] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func next() throws -> SourceRow? {
        var cells: [String] = []
        cells.reserveCapacity(above.count)
        defer { above = cells }
        var field: [UInt8] = []
        // Skip blank lines between records and at the end of the file.
        while let byte = try peek(), byte == Self.lf || byte == Self.cr {
            if byte == Self.lf { line += 1 }
            position += 1
        }
        guard try peek() != nil else { return nil }
        let recordLine = line
        var quoted = false
        var wasQuoted = false
        while true {
            guard let byte = try peek() else {
                cells.append(String(decoding: field, as: UTF8.self))
                return SourceRow(line: recordLine, cells: cells)
            }
            if !quoted && field.isEmpty && !wasQuoted, let cell = plainCell(cells.count) ?? quotedCell(cells.count) {
                // The common cell, with no quotes and whole in the buffer: made from the buffer directly.
                cells.append(cell.text)
                if cell.ended {
                    return SourceRow(line: recordLine, cells: cells)
                }
                continue
            }
            position += 1
            if quoted {
                if byte == Self.quote {
                    if try peek() == Self.quote {
                        field.append(Self.quote)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == Self.lf { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case Self.quote where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case Self.quote where field == [Self.equals] && !wasQuoted:
                // ="0123": Excel's way of keeping a number as text.
                field.removeAll(keepingCapacity: true)
                quoted = true
                wasQuoted = true
            case separator:
                cells.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            case Self.lf, Self.cr:
                if byte == Self.cr, try peek() == Self.lf { position += 1 }
                line += 1
                cells.append(String(decoding: field, as: UTF8.self))
                return SourceRow(line: recordLine, cells: cells)
            default:
                field.append(byte)
            }
        }
    }
}
