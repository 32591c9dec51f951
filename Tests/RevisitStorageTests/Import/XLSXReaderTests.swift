import Foundation
import RevisitCore
import Testing
import ZIPFoundation

@testable import RevisitStorage

@Suite struct XLSXReaderTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../Fixtures/dms")

    @Test func theSampleWorkbookStreamsEveryRow() throws {
        let reader = try XLSXReader(path: Self.samples.appendingPathComponent("repair_order_lines.xlsx").path)
        #expect(reader.sheetName == "维修明细")
        let header = try #require(try reader.next())
        #expect(header.line == 1)
        #expect(header.cells.prefix(4) == ["工单号", "行号", "开单日期", "出厂日期"])
        var count = 0
        var first: SourceRow?
        while let row = try reader.next() {
            if first == nil { first = row }
            count += 1
        }
        #expect(count == 3552)
        let mapping = ColumnMapping(kind: .repairOrders, headers: header.cells)
        let order = try ImportRowReader(mapping: mapping).repairOrder(first!).get()
        #expect(order.openedOn != nil && order.item?.amountFen ?? 0 > 0)
    }

    /// A workbook written here: shared and inline strings, entities, a date-styled number, a gap in the
    /// columns, and two sheets picked by name.
    @Test func cellsOfEveryKindAndSheetsByName() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).xlsx")
        let archive = try Archive(url: path, accessMode: .create)
        func add(_ name: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        try add(
            "xl/workbook.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="说明" sheetId="1" r:id="rId1"/><sheet name="客户" sheetId="2" r:id="rId2"/></sheets></workbook>
            """)
        try add(
            "xl/_rels/workbook.xml.rels",
            """
            <Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>
            """)
        try add(
            "xl/sharedStrings.xml",
            "<sst><si><t>客户号</t></si><si><r><t>姓</t></r><r><t>名</t></r><rPh><t>xingming</t></rPh></si><si><t>A&amp;B 公司</t></si></sst>"
        )
        try add(
            "xl/styles.xml",
            "<styleSheet><numFmts><numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"176\"/><xf numFmtId=\"4\"/></cellXfs></styleSheet>"
        )
        try add(
            "xl/worksheets/sheet1.xml",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>readme</t></is></c></row></sheetData></worksheet>"
        )
        try add(
            "xl/worksheets/sheet2.xml",
            """
            <worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>生日</t></is></c></row>
            <row r="3"><c r="A3" t="str"><f>X</f><v>KH&#x31;</v></c><c r="B3" t="s"><v>2</v></c><c r="C3" s="3"><v>1299.5</v></c><c r="D3" s="2"><v>45356</v></c><c r="E3" t="b"><v>1</v></c></row></sheetData></worksheet>
            """)
        let reader = try XLSXReader(path: path.path, sheet: "客户")
        #expect(reader.sheetNames == ["说明", "客户"])
        #expect(try reader.next() == SourceRow(line: 1, cells: ["客户号", "姓名", "", "生日"]))
        #expect(try reader.next() == SourceRow(line: 3, cells: ["KH1", "A&B 公司", "1299.5", "2024-03-05", "TRUE"]))
        #expect(try reader.next() == nil)
        #expect(throws: RevisitError.self) { _ = try XLSXReader(path: path.path, sheet: "车辆") }
    }

    @Test func aZipThatIsNotAWorkbookIsNotATable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).zip")
        let archive = try Archive(url: path, accessMode: .create)
        let data = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        #expect(throws: RevisitError(.validation, code: .importNotTabular, field: "file")) {
            _ = try XLSXReader(path: path.path)
        }
    }

    @Test func theScannerSurvivesTagsCutAtAnyByte() throws {
        let xml = Array("<a x=\"1&amp;2\"><b>文本 &lt;ok&gt;</b><c/></a><end/>".utf8)
        for cut in 1..<xml.count {
            var scanner = XMLScanner()
            var events: [String] = []
            let collect: (XMLScanner.Event) -> Void = { event in
                switch event {
                case .start(let name, let attributes, _): events.append("<\(name)\(attributes["x"] ?? "")")
                case .end(let name): events.append("/\(name)")
                case .text(let text): events.append(text)
                }
            }
            scanner.feed(xml[..<cut], collect)
            scanner.feed(xml[cut...], collect)
            #expect(events == ["<a1&2", "<b", "文本 <ok>", "/b", "<c", "/c", "/a", "<end", "/end"], "cut at \(cut)")
        }
    }
}
