import Foundation

/// GB18030's characters of the Basic Multilingual Plane (ASCII, all of GBK, and the four-byte codes
/// starting 0x81…0x84: every character a DMS export is likely to hold), decoded by table. iconv took a
/// tenth of reading a GB18030 file; the tables are iconv's own answer for each code, asked once, so the
/// output is the same. Other four-byte codes, invalid bytes and a character cut by the chunk's end are
/// left to iconv.
final class GB18030Table: Sendable {
    static let firstLead: UInt8 = 0x81
    static let firstTrail: UInt8 = 0x40
    static let trails = 0xFE - 0x40 + 1
    /// Scalar value by (lead, trail); 0 where iconv found no character.
    private let scalars: [UInt32]
    /// The same for the four-byte codes of the Basic Multilingual Plane (first byte 0x81…0x84): ¥ and
    /// other signs GBK lacks, which DMS exports write in every amount.
    private let fourByte: [UInt32]
    static let fourByteLeads = 4

    init?(iconvName: String) {
        guard let converter = iconv_open("UTF-32LE", iconvName), converter != iconv_t(bitPattern: -1) else {
            return nil
        }
        defer { iconv_close(converter) }
        func scalar(_ bytes: [UInt8]) -> UInt32 {
            var input = bytes
            var output: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0]
            let result = UTF8Transcoder.convert(converter, &input, into: &output)
            guard result.failure == 0, result.consumed == input.count, result.produced == 4 else {
                _ = iconv(converter, nil, nil, nil, nil)  // reset after an error
                return 0
            }
            return UInt32(output[0]) | UInt32(output[1]) << 8 | UInt32(output[2]) << 16 | UInt32(output[3]) << 24
        }
        var scalars = [UInt32](repeating: 0, count: 126 * Self.trails)
        for lead in 0x81...0xFE {
            for trail in 0x40...0xFE where trail != 0x7F {
                scalars[(lead - 0x81) * Self.trails + (trail - 0x40)] = scalar([UInt8(lead), UInt8(trail)])
            }
        }
        var fourByte = [UInt32](repeating: 0, count: Self.fourByteLeads * 10 * 126 * 10)
        for index in fourByte.indices {
            let bytes = [
                UInt8(0x81 + index / 12_600), UInt8(0x30 + index / 1_260 % 10), UInt8(0x81 + index / 10 % 126),
                UInt8(0x30 + index % 10),
            ]
            fourByte[index] = scalar(bytes)
        }
        self.scalars = scalars
        self.fourByte = fourByte
    }

    /// Decodes `input` into UTF-8 as far as the table can; returns the bytes used and the UTF-8.
    func decode(_ input: [UInt8]) -> (consumed: Int, utf8: [UInt8]) {
        input.withUnsafeBufferPointer { bytes in
            var consumed = 0
            let utf8 = [UInt8](unsafeUninitializedCapacity: bytes.count * 3 / 2 + 4) { out, written in
                var at = 0
                var index = 0
                let count = bytes.count
                while index < count {
                    let byte = bytes[index]
                    if byte < 0x80 {
                        // Most of an export is ASCII (numbers, codes, separators): eight bytes at a time.
                        while index + 8 <= count {
                            let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                            if word & 0x8080_8080_8080_8080 != 0 { break }
                            UnsafeMutableRawPointer(out.baseAddress! + at).storeBytes(of: word, as: UInt64.self)
                            index += 8
                            at += 8
                        }
                        if index < count && bytes[index] < 0x80 {
                            out[at] = bytes[index]
                            at += 1
                            index += 1
                        }
                        continue
                    }
                    guard byte >= Self.firstLead, byte != 0xFF, index + 1 < count else { break }
                    let trail = bytes[index + 1]
                    let scalar: UInt32
                    let length: Int
                    if trail >= 0x30 && trail <= 0x39 {
                        // Four bytes: lead, digit, 0x81…0xFE, digit.
                        guard Int(byte - Self.firstLead) < Self.fourByteLeads, index + 3 < count else { break }
                        let third = bytes[index + 2]
                        let fourth = bytes[index + 3]
                        guard third >= 0x81, third != 0xFF, fourth >= 0x30, fourth <= 0x39 else { break }
                        scalar =
                            fourByte[
                                Int(byte - 0x81) * 12_600 + Int(trail - 0x30) * 1_260 + Int(third - 0x81) * 10
                                    + Int(fourth - 0x30)]
                        length = 4
                    } else {
                        guard trail >= Self.firstTrail, trail != 0x7F, trail != 0xFF else { break }
                        scalar = scalars[Int(byte - Self.firstLead) * Self.trails + Int(trail - Self.firstTrail)]
                        length = 2
                    }
                    if scalar < 0x80 || scalar >= 0x10000 { break }
                    if scalar < 0x800 {
                        out[at] = UInt8(0xC0 | (scalar >> 6))
                        out[at + 1] = UInt8(0x80 | (scalar & 0x3F))
                        at += 2
                    } else {
                        out[at] = UInt8(0xE0 | (scalar >> 12))
                        out[at + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                        out[at + 2] = UInt8(0x80 | (scalar & 0x3F))
                        at += 3
                    }
                    index += length
                }
                consumed = index
                written = at
            }
            return (consumed, utf8)
        }
    }
}
