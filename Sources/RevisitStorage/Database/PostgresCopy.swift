import Logging
import NIOCore
import PostgresNIO
import SQLKit

/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`: a tab between fields, a newline after
/// each row, `\N` for NULL. A backslash, tab, newline or carriage return inside a value is written as its
/// backslash escape, so no value can end a field or a row early (an empty string stays an empty string).
struct PostgresCopyRows: Sendable {
    private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0

    init(capacity: Int = 64 * 1024) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func append(_ value: String?) {
        startField()
        guard var value else { return writeNull() }
        value.withUTF8 { bytes in
            guard bytes.contains(where: Self.needsEscape) else {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString(#"\\"#)
                case UInt8(ascii: "\t"): buffer.writeStaticString(#"\t"#)
                case UInt8(ascii: "\n"): buffer.writeStaticString(#"\n"#)
                case UInt8(ascii: "\r"): buffer.writeStaticString(#"\r"#)
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    /// Digits written straight into the buffer: a `String` per number was a tenth of an import's client time.
    mutating func append(_ value: Int64?) {
        startField()
        guard let value else { return writeNull() }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digits)[start...]))
        }
    }

    /// `count` fields of NULL.
    mutating func appendNulls(_ count: Int) {
        for _ in 0..<count {
            startField()
            writeNull()
        }
    }

    /// Swift's shortest round-trip spelling, which `float8in` reads back to the same value.
    mutating func append(_ value: Double?) {
        startField()
        guard let value else { return writeNull() }
        if value.isNaN {
            buffer.writeStaticString("NaN")
        } else if value.isInfinite {
            buffer.writeStaticString(value < 0 ? "-Infinity" : "Infinity")
        } else {
            buffer.writeString(String(value))
        }
    }

    mutating func append(_ value: Bool) {
        startField()
        buffer.writeStaticString(value ? "t" : "f")
    }

    mutating func append(_ value: SQLScalar) {
        switch value {
        case .null: append(String?.none)
        case .int(let number): append(number)
        case .double(let number): append(number)
        case .string(let text): append(text)
        case .bool(let flag): append(flag)
        }
    }

    /// Rows of scalars, each ended.
    static func rows(_ rows: some Sequence<[SQLScalar]>, capacity: Int) -> PostgresCopyRows {
        var copy = PostgresCopyRows(capacity: capacity)
        for row in rows {
            for value in row { copy.append(value) }
            copy.endRow()
        }
        return copy
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    private mutating func startField() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    private mutating func writeNull() {
        buffer.writeStaticString(#"\N"#)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    /// Sends the rows with `COPY table (columns) FROM STDIN` on the connection `db` runs on, so they land
    /// in its transaction.
    func copy(into table: String, columns: [String], on db: any SQLDatabase) async throws {
        guard let session = db as? PostgresConnectionSQL else {
            preconditionFailure("COPY needs a handle from Database on PostgreSQL")
        }
        let connection = session.connection
        try await connection.copyFrom(table: table, columns: columns, logger: connection.logger) { writer in
            // Chunks keep each CopyData message small whatever the batch size.
            var rest = buffer
            while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(rest.readableBytes, 256 * 1024)) {
                try await writer.write(chunk)
            }
        }
    }
}
