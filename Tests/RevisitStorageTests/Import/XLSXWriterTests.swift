import Foundation
import RevisitCore
import Testing
import ZIPFoundation

@testable import RevisitStorage

/// The export's XLSX is a valid zip (ZIPFoundation checks every CRC) that reads back cell for cell.
@Suite struct XLSXWriterTests {
    @Test func aWrittenWorkbookReadsBack() throws {
        var writer = XLSXWriter()
        var bytes = writer.begin(sheetName: "客户", header: ["客户号", "姓名", "金额"])
        bytes += writer.row([.text("KH001"), .text("A&B <公司> \"引号\""), .number(1299.5)])
        bytes += writer.row([.text("=SUM(A1)"), .text(""), .integer(42)])
        bytes += writer.end()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).xlsx")
        try Data(bytes).write(to: path)
        let archive = try Archive(url: path, accessMode: .read)
        for entry in archive {
            _ = try archive.extract(entry, skipCRC32: false) { _ in }
        }
        let reader = try XLSXReader(path: path.path)
        #expect(reader.sheetNames == ["客户"])
        #expect(try reader.next()?.cells == ["客户号", "姓名", "金额"])
        #expect(try reader.next()?.cells == ["KH001", "A&B <公司> \"引号\"", "1299.5"])
        // A text that looks like a formula stays text (an inline string), never a formula.
        #expect(try reader.next()?.cells == ["=SUM(A1)", "", "42"])
        #expect(try reader.next() == nil)
    }
}
