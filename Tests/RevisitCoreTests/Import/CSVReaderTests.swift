import Foundation
import RevisitCore
import Testing

@Suite struct CSVReaderTests {
    static func rows(_ text: String, chunk: Int = 256 * 1024) throws -> [SourceRow] {
        let reader = CSVReader(MemoryByteSource(text), chunkSize: chunk)
        var rows: [SourceRow] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }

    @Test(arguments: [1, 2, 3, 7, 4096])
    func quotingNewlinesAndLineNumbersSurviveAnyChunkSize(chunk: Int) throws {
        let text = "工单号,备注,金额\r\nRO1,\"含,逗号\",\"1,299.00\"\r\nRO2,\"两行\n备注\",5\nRO3,\"说\"\"好\"\"的\",\r\n\r\n"
        let rows = try Self.rows(text, chunk: chunk)
        #expect(
            rows.map(\.cells) == [
                ["工单号", "备注", "金额"], ["RO1", "含,逗号", "1,299.00"], ["RO2", "两行\n备注", "5"], ["RO3", "说\"好\"的", ""],
            ])
        // A record that spans two lines starts on its first; the next starts after both.
        #expect(rows.map(\.line) == [1, 2, 3, 5])
    }

    @Test(arguments: [1, 2, 5, 4096])
    func quotedCellsAtEveryPlaceInARecord(chunk: Int) throws {
        let text = "\"a\",\"\",\"¥1,299.00\"\n\"x\"y,\"\"\"q\",\"\"\r\n\"末\""
        let rows = try Self.rows(text, chunk: chunk)
        #expect(rows.map(\.cells) == [["a", "", "¥1,299.00"], ["xy", "\"q", ""], ["末"]])
        #expect(rows.map(\.line) == [1, 2, 3])
    }

    @Test(arguments: [1, 3, 7, 4096])
    func gb18030DecodesAsIconvDoesAcrossChunks(chunk: Int) throws {
        // ASCII, GBK, the four-byte ¥ and ·, a character beyond the BMP, and the two-byte €, past the
        // first 64 KB read so that chunk ends cut characters of every length.
        let text = String(repeating: "RO1,王伟,¥1,299.00,𠀀,·,€,ｶ,\r\n京A12345,帕萨特 2.0T,\"含,逗号\"\n", count: 2_000)
        let bytes = try #require(text.data(using: String.Encoding(rawValue: 0x8000_0632)))
        let transcoder = try UTF8Transcoder(MemoryByteSource([UInt8](bytes)), encoding: .gb18030)
        var decoded: [UInt8] = []
        while true {
            let part = try transcoder.read(maxLength: chunk)
            if part.isEmpty { break }
            decoded += part
        }
        #expect(String(decoding: decoded, as: UTF8.self) == text)
    }

    @Test func aCellLikeTheOneAboveIsReadAsItsOwnText() throws {
        let rows = try Self.rows("a,b,\"¥1\"\na,bb,\"¥1\",x\nab,,\"¥2\"\n,b\n", chunk: 5)
        #expect(rows.map(\.cells) == [["a", "b", "¥1"], ["a", "bb", "¥1", "x"], ["ab", "", "¥2"], ["", "b"]])
    }

    @Test func excelTextTrickKeepsLeadingZeros() throws {
        let rows = try Self.rows("客户号,电话\n=\"000123\",=\"01085550101\"\n")
        #expect(rows[1].cells == ["000123", "01085550101"])
    }

    @Test func aFileWithoutFinalNewlineAndWithBlankLinesBetweenRecords() throws {
        let rows = try Self.rows("a,b\n\n1,2\n3,")
        #expect(rows.map(\.cells) == [["a", "b"], ["1", "2"], ["3", ""]])
        #expect(rows.map(\.line) == [1, 3, 4])
        #expect(try Self.rows("").isEmpty)
    }
}

@Suite struct TextEncodingTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func decoded(_ bytes: [UInt8], forced: TextEncoding? = nil, chunk: Int = 5) throws -> (TextEncoding, String)
    {
        let transcoder = try UTF8Transcoder(ChunkedSource(bytes: bytes, chunk: chunk), encoding: forced)
        var out: [UInt8] = []
        while true {
            let part = try transcoder.read(maxLength: chunk)
            if part.isEmpty { break }
            out += part
        }
        return (transcoder.encoding, String(decoding: out, as: UTF8.self))
    }

    /// Hands out at most `chunk` bytes at a time, to cut multi-byte characters at every position.
    struct ChunkedSource: ByteSource {
        var bytes: [UInt8]
        let chunk: Int
        mutating func read(maxLength: Int) throws -> [UInt8] {
            let part = Array(bytes.prefix(min(chunk, maxLength)))
            bytes.removeFirst(part.count)
            return part
        }
    }

    @Test func everyEncodingIsDetectedAndDecoded() throws {
        let text = "客户号,姓名\nKH01,王伟𠀀\n"
        #expect(try Self.decoded([0xEF, 0xBB, 0xBF] + Array(text.utf8)) == (.utf8, text))
        #expect(try Self.decoded(Array(text.utf8)) == (.utf8, text))
        let gbk = [UInt8](text.data(using: Self.gb18030)!)
        #expect(try Self.decoded(gbk) == (.gb18030, text))
        let le = [0xFF, 0xFE] + [UInt8](text.data(using: .utf16LittleEndian)!)
        #expect(try Self.decoded(le) == (.utf16LE, text))
        let be = [0xFE, 0xFF] + [UInt8](text.data(using: .utf16BigEndian)!)
        #expect(try Self.decoded(be) == (.utf16BE, text))
    }

    @Test func anOverrideWinsAndNamesAreForgiving() throws {
        #expect(TextEncoding(name: "GBK") == .gb18030 && TextEncoding(name: "utf8") == .utf8)
        #expect(TextEncoding(name: "latin9") == nil)
        // Plain ASCII looks like UTF-8; forced to GB18030 it reads the same.
        #expect(try Self.decoded(Array("a,b\n".utf8), forced: .gb18030) == (.gb18030, "a,b\n"))
    }

    @Test func aBadByteSpoilsOneCharacterNotTheFile() throws {
        let gbk = [UInt8]("王伟".data(using: Self.gb18030)!) + [0xFF] + [UInt8](",李娜".data(using: Self.gb18030)!)
        let (_, text) = try Self.decoded(gbk, forced: .gb18030)
        #expect(text == "王伟\u{FFFD},李娜")
    }

    @Test func theSampleExportsReadInTheirEncodings() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Fixtures/dms")
        let customers = CSVReader(
            try UTF8Transcoder(FileByteSource(path: folder.appendingPathComponent("customers.utf8bom.csv").path)))
        #expect(try customers.next()?.cells == ["客户号", "姓名", "联系电话", "性别", "联系地址"])
        var count = 0
        while try customers.next() != nil { count += 1 }
        #expect(count == 200)
        let source = try UTF8Transcoder(FileByteSource(path: folder.appendingPathComponent("vehicles.gbk.csv").path))
        #expect(source.encoding == .gb18030)
        #expect(try CSVReader(source).next()?.cells == ["VIN", "车牌", "客户号", "品牌", "车型", "购车日期"])
    }
}
