import Foundation
import RevisitCore
import ZIPFoundation

/// Rows of one sheet of an XLSX workbook, streamed: the sheet's XML is inflated and scanned in chunks on
/// a thread of its own and handed over through a small queue, so memory holds the shared-string table and
/// a few hundred rows whatever the sheet's length. Shared and inline strings, numbers, booleans and
/// formula results are read as text; numbers in a date format become `YYYY-MM-DD`.
public final class XLSXReader: RowSource, @unchecked Sendable {
    public let sheetNames: [String]
    public let sheetName: String
    private let queue = RowQueue(capacity: 512)
    private let thread: Thread
    private let size: Int64
    public var progress: Double? { queue.progress }

    /// Opens `path` and starts reading `sheet` (by name; the first sheet when nil).
    public init(path: String, sheet: String? = nil) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw RevisitError(.validation, code: .importNotTabular, field: "file")
        }
        guard let workbook = Self.entryText(archive, "xl/workbook.xml") else {
            throw RevisitError(.validation, code: .importNotTabular, field: "file")
        }
        let sheets = Self.sheets(
            workbook: workbook, relations: Self.entryText(archive, "xl/_rels/workbook.xml.rels") ?? [])
        sheetNames = sheets.map(\.name)
        let chosen = sheet == nil ? sheets.first : sheets.first { $0.name == sheet }
        guard let target = chosen else {
            throw RevisitError(
                .validation, code: .importSheetMissing, field: "sheet",
                args: ["value": sheet ?? "", "sheets": sheets.map(\.name).joined(separator: ", ")])
        }
        guard let entry = archive[target.path] else {
            throw RevisitError(.validation, code: .importNotTabular, field: "file")
        }
        sheetName = target.name
        size = Int64(entry.uncompressedSize)
        let strings = Self.sharedStrings(Self.entryText(archive, "xl/sharedStrings.xml") ?? [])
        let dateStyles = Self.dateStyles(Self.entryText(archive, "xl/styles.xml") ?? [])
        let queue = self.queue
        let total = max(1, size)
        // The archive and entry are used by the sheet thread alone from here on.
        let handover = Handover(archive: archive, entry: entry)
        thread = Thread {
            let (archive, entry) = (handover.archive, handover.entry)
            var parser = SheetParser(strings: strings, dateStyles: dateStyles)
            var read: Int64 = 0
            do {
                _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { data in
                    read += Int64(data.count)
                    try parser.feed(data) { row in try queue.put(row, progress: Double(read) / Double(total)) }
                }
                queue.finish(error: nil)
            } catch {
                queue.finish(error: error is RowQueue.Closed ? nil : error)
            }
        }
        thread.start()
    }

    deinit { queue.close() }

    private struct Handover: @unchecked Sendable {
        let archive: Archive
        let entry: Entry
    }

    public func next() throws -> SourceRow? { try queue.take() }

    // MARK: Workbook parts

    struct Sheet {
        let name: String
        let path: String
    }

    static func entryText(_ archive: Archive, _ path: String) -> [UInt8]? {
        guard let entry = archive[path] else { return nil }
        var bytes: [UInt8] = []
        do {
            _ = try archive.extract(entry) { bytes.append(contentsOf: $0) }
        } catch {
            return nil
        }
        return bytes
    }

    static func sheets(workbook: [UInt8], relations: [UInt8]) -> [Sheet] {
        var targets: [String: String] = [:]
        var relationScanner = XMLScanner()
        relationScanner.feed(relations + Array("<end/>".utf8)) { event in
            if case .start(let name, let attributes, _) = event, name == "Relationship", let id = attributes["Id"],
                let target = attributes["Target"]
            {
                targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        var sheets: [Sheet] = []
        var scanner = XMLScanner()
        scanner.feed(workbook + Array("<end/>".utf8)) { event in
            if case .start(let name, let attributes, _) = event, name == "sheet", let sheetName = attributes["name"] {
                let path = attributes["id"].flatMap { targets[$0] } ?? "xl/worksheets/sheet\(sheets.count + 1).xml"
                sheets.append(Sheet(name: sheetName, path: path))
            }
        }
        return sheets
    }

    /// `<si>` items in order; rich text runs are joined, phonetic guides (`rPh`) left out.
    static func sharedStrings(_ bytes: [UInt8]) -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false
        var inPhonetic = false
        var scanner = XMLScanner()
        scanner.feed(bytes + Array("<end/>".utf8)) { event in
            switch event {
            case .start(let name, _, let selfClosing):
                if name == "si" { current = "" }
                if name == "t" && !selfClosing { inText = true }
                if name == "rPh" { inPhonetic = true }
            case .end(let name):
                if name == "t" { inText = false }
                if name == "rPh" { inPhonetic = false }
                if name == "si" { strings.append(current) }
            case .text(let text):
                if inText && !inPhonetic { current += text }
            }
        }
        return strings
    }

    /// Indexes of the cell styles (`cellXfs`) whose number format shows a date.
    static func dateStyles(_ bytes: [UInt8]) -> Set<Int> {
        var customDates: Set<Int> = []
        var styles: [Int] = []
        var inCellXfs = false
        var scanner = XMLScanner()
        scanner.feed(bytes + Array("<end/>".utf8)) { event in
            switch event {
            case .start(let name, let attributes, _):
                if name == "numFmt", let id = attributes["numFmtId"].flatMap({ Int($0) }),
                    let code = attributes["formatCode"], isDateFormat(code)
                {
                    customDates.insert(id)
                }
                if name == "cellXfs" { inCellXfs = true }
                if name == "xf" && inCellXfs { styles.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0) }
            case .end(let name):
                if name == "cellXfs" { inCellXfs = false }
            case .text: break
            }
        }
        let builtIn = Set(Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58))
        return Set(styles.indices.filter { builtIn.contains(styles[$0]) || customDates.contains(styles[$0]) })
    }

    /// A format shows a date when it has day, month or year parts outside quotes and brackets.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        for character in code.lowercased() {
            switch character {
            case "\"": inQuote.toggle()
            case "[": inBracket = true
            case "]": inBracket = false
            case "y", "d", "m", "年", "月", "日": if !inQuote && !inBracket { return true }
            default: break
            }
        }
        return false
    }
}

/// Cells of `<row>` elements into rows, with gaps (cells Excel leaves out) filled with empty text.
struct SheetParser {
    let strings: [String]
    let dateStyles: Set<Int>
    private var scanner = XMLScanner()
    private var row: [String] = []
    private var rowNumber = 0
    private var column = 0
    private var cellType = ""
    private var cellStyle = 0
    private var value = ""
    private var inValue = false
    private var inInline = false

    init(strings: [String], dateStyles: Set<Int>) {
        self.strings = strings
        self.dateStyles = dateStyles
    }

    mutating func feed(_ data: Data, _ emit: (SourceRow) throws -> Void) throws {
        var events: [XMLScanner.Event] = []
        scanner.feed(data) { events.append($0) }
        for event in events { try handle(event, emit) }
    }

    private mutating func handle(_ event: XMLScanner.Event, _ emit: (SourceRow) throws -> Void) throws {
        switch event {
        case .start(let name, let attributes, _):
            switch name {
            case "row":
                rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
                row = []
            case "c":
                column = attributes["r"].map(Self.columnIndex) ?? row.count
                cellType = attributes["t"] ?? "n"
                cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
                value = ""
            case "v": inValue = true
            case "is": inInline = true
            case "t" where inInline: inValue = true
            default: break
            }
        case .end(let name):
            switch name {
            case "v", "t": inValue = false
            case "is": inInline = false
            case "c":
                while row.count < column { row.append("") }
                row.append(cellText())
            case "row": try emit(SourceRow(line: rowNumber, cells: row))
            default: break
            }
        case .text(let text):
            if inValue { value += text }
        }
    }

    private func cellText() -> String {
        switch cellType {
        case "s": return Int(value).flatMap { $0 < strings.count ? strings[$0] : nil } ?? ""
        case "b": return value == "1" ? "TRUE" : "FALSE"
        case "inlineStr", "str", "e": return value
        default:
            if dateStyles.contains(cellStyle), let serial = Double(value), serial > 0 {
                return LocalDate(dayNumber: Int(serial.rounded(.down)) - 25_569).description
            }
            return value
        }
    }

    /// `AB12` → 27 (zero-based column of the letters).
    static func columnIndex(_ reference: String) -> Int {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            index = index * 26 + Int(scalar.value - 64)
        }
        return max(0, index - 1)
    }
}

/// The hand-over between the sheet thread and the reader: bounded, so a fast producer waits.
final class RowQueue: @unchecked Sendable {
    struct Closed: Error {}

    private let condition = NSCondition()
    private var rows: [SourceRow] = []
    private var head = 0
    private var done = false
    private var closed = false
    private var failure: (any Error)?
    private var fraction: Double?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var progress: Double? {
        condition.lock()
        defer { condition.unlock() }
        return fraction
    }

    func put(_ row: SourceRow, progress: Double) throws {
        condition.lock()
        defer { condition.unlock() }
        while rows.count - head >= capacity && !closed { condition.wait() }
        if closed { throw Closed() }
        rows.append(row)
        fraction = progress
        condition.broadcast()
    }

    func take() throws -> SourceRow? {
        condition.lock()
        defer { condition.unlock() }
        while head == rows.count && !done { condition.wait() }
        if head < rows.count {
            let row = rows[head]
            head += 1
            if head > 1024 {
                rows.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return row
        }
        if let failure { throw failure }
        return nil
    }

    func finish(error: (any Error)?) {
        condition.lock()
        done = true
        failure = error.map { _ in RevisitError(.validation, code: .importNotTabular, field: "file") }
        condition.broadcast()
        condition.unlock()
    }

    /// The reader is gone: the producer stops at its next row.
    func close() {
        condition.lock()
        closed = true
        done = true
        condition.broadcast()
        condition.unlock()
    }
}
