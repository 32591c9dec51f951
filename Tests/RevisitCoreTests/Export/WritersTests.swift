import Foundation
import RevisitCore
import Testing

@Suite struct CSVWriterTests {
    @Test func cellsAreQuotedAndFormulasDisarmed() {
        let writer = CSVWriter()
        #expect(writer.line(["王伟", "含,逗号", "说\"好\"", "两\n行"]) == "王伟,\"含,逗号\",\"说\"\"好\"\"\",\"两\n行\"\r\n")
        #expect(CSVWriter.cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSVWriter.cell("+86 138") == "'+86 138")
        #expect(CSVWriter.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.cell("\tcmd") == "'\tcmd")
        #expect(CSVWriter.cell("-12.5") == "-12.5")  // a negative amount stays a number
        #expect(CSVWriter.cell("-1+1") == "'-1+1")
    }
}
