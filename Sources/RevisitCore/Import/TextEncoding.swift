import Foundation

/// The encodings DMS exports come in. GB18030 is the superset of GBK and GB2312, so it reads all three.
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case gb18030 = "gb18030"

    /// Accepts the names people type: `gbk`, `GB2312`, `utf8`, `UTF-16`…
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8", "utf-8-bom", "utf8-bom": self = .utf8
        case "utf-16", "utf16", "utf-16le", "utf16le", "unicode": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        case "gb18030", "gbk", "gb2312", "cp936", "936", "ansi": self = .gb18030
        default: return nil
        }
    }

    /// What the first bytes say: a byte-order mark decides; otherwise text that is valid UTF-8 is UTF-8 and
    /// anything else is taken as GB18030 (a Chinese Windows export). Returns the BOM length to skip.
    public static func detect(_ head: [UInt8]) -> (encoding: TextEncoding, bomLength: Int) {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        return (isUTF8(head) ? .utf8 : .gb18030, 0)
    }

    /// Valid UTF-8, allowing a sequence cut off at the end of the sample.
    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            if index + length > bytes.count { return true }
            for next in bytes[(index + 1)..<(index + length)] where next & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}

/// Turns a byte source in any `TextEncoding` into UTF-8 bytes, chunk by chunk. UTF-8 passes through;
/// the others go through iconv, which keeps a sequence split across two chunks for the next call.
public final class UTF8Transcoder: ByteSource {
    private var source: any ByteSource
    public let encoding: TextEncoding
    /// The source being transcoded (for progress through the file).
    public var underlying: any ByteSource { source }
    private var pending: [UInt8] = []
    private var converter: iconv_t?
    /// GB18030's one- and two-byte characters, decoded without iconv.
    private var table: GB18030Table?
    private var finished = false

    /// Reads the first chunk to detect the encoding unless one is given.
    public init(_ source: any ByteSource, encoding forced: TextEncoding? = nil) throws {
        self.source = source
        var head = try self.source.read(maxLength: 64 * 1024)
        let detected = TextEncoding.detect(head)
        self.encoding = forced ?? detected.encoding
        // A BOM is dropped even when the encoding is forced, as long as it agrees.
        if detected.bomLength > 0, forced == nil || forced == detected.encoding {
            head.removeFirst(detected.bomLength)
        }
        if encoding != .utf8 {
            let name =
                switch encoding {
                case .utf8: "UTF-8"
                case .utf16LE: "UTF-16LE"
                case .utf16BE: "UTF-16BE"
                case .gb18030: "GB18030"
                }
            let handle = iconv_open("UTF-8", name)
            guard handle != iconv_t(bitPattern: -1) else {
                throw RevisitError(.validation, code: .importEncoding, field: "encoding", args: ["value": name])
            }
            converter = handle
            if encoding == .gb18030 { table = GB18030Table(iconvName: name) }
        }
        pending = head
    }

    deinit { if let converter { iconv_close(converter) } }

    /// One iconv call from `input` into `output`: the bytes used, the bytes written, and errno when it
    /// stopped early (0 when it did not).
    static func convert(
        _ converter: iconv_t, _ input: inout [UInt8], into output: inout [UInt8]
    ) -> (consumed: Int, produced: Int, failure: Int32) {
        input.withUnsafeMutableBufferPointer { inBytes in
            output.withUnsafeMutableBufferPointer { outBytes in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBytes.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBytes.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBytes.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBytes.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return (inBytes.count - inLeft, outBytes.count - outLeft, result == -1 ? errno : 0)
            }
        }
    }

    public func read(maxLength: Int) throws -> [UInt8] {
        guard let converter else {
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            return try source.read(maxLength: maxLength)
        }
        while true {
            if !finished, pending.count < 4096 {
                let more = try source.read(maxLength: maxLength)
                if more.isEmpty { finished = true } else { pending += more }
            }
            if pending.isEmpty { return [] }
            if let table {
                let (consumed, utf8) = table.decode(pending)
                if consumed > 0 {
                    pending.removeFirst(consumed)
                    return utf8
                }
                // What the table cannot decode goes through iconv below.
            }
            var output = [UInt8](repeating: 0, count: pending.count * 2 + 16)
            let (consumed, produced, failure) = Self.convert(converter, &pending, into: &output)
            pending.removeFirst(consumed)
            switch failure {
            case 0, E2BIG:
                break
            case EINVAL where !finished:
                // A character cut by the chunk boundary: read more and go on.
                break
            default:
                // An invalid byte (or a truncated last character): keep it visible as U+FFFD and go on,
                // so one bad character spoils one field, not the file.
                if !pending.isEmpty { pending.removeFirst() }
                output.replaceSubrange(produced..<produced, with: [0xEF, 0xBF, 0xBD])
                return Array(output[0..<(produced + 3)])
            }
            if produced > 0 { return Array(output[0..<produced]) }
            if finished && pending.isEmpty { return [] }
        }
    }
}
