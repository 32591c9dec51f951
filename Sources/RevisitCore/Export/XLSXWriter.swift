import Foundation

/// A one-sheet XLSX workbook written front to back: the zip's entries are stored (not compressed) with
/// their sizes and CRCs in data descriptors after the data, so every byte can go to the client as soon
/// as it is made and memory holds one row. Text cells are inline strings, numbers are numbers; text
/// that a spreadsheet would run as a formula is never written as a formula (inline strings are text).
public struct XLSXWriter: Sendable {
    private var offset: UInt32 = 0
    private var entries: [(name: String, crc: UInt32, size: UInt32, offset: UInt32)] = []
    private var current: (name: String, crc: UInt32, size: UInt32, offset: UInt32)?
    private var rowNumber = 0

    public init() {}

    /// The workbook's fixed parts and the start of the sheet, with the header row.
    public mutating func begin(sheetName: String, header: [String]) -> [UInt8] {
        var out: [UInt8] = []
        let sheet = Self.escape(String(sheetName.prefix(31)))
        out += file(
            "[Content_Types].xml",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
            """)
        out += file(
            "_rels/.rels",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        out += file(
            "xl/workbook.xml",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\(sheet)" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        out += file(
            "xl/_rels/workbook.xml.rels",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """)
        out += startEntry("xl/worksheets/sheet1.xml")
        out += data(
            Array(
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                """.utf8))
        out += row(header.map { .text($0) })
        return out
    }

    public enum Cell: Sendable {
        case text(String)
        case number(Double)
        case integer(Int64)
    }

    public mutating func row(_ cells: [Cell]) -> [UInt8] {
        rowNumber += 1
        var xml = "<row r=\"\(rowNumber)\">"
        for cell in cells {
            switch cell {
            case .text(let text):
                xml +=
                    text.isEmpty
                    ? "<c/>" : "<c t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(text))</t></is></c>"
            case .number(let value): xml += "<c><v>\(value)</v></c>"
            case .integer(let value): xml += "<c><v>\(value)</v></c>"
            }
        }
        xml += "</row>"
        return data(Array(xml.utf8))
    }

    /// Closes the sheet and writes the zip's directory.
    public mutating func end() -> [UInt8] {
        var out = data(Array("</sheetData></worksheet>".utf8))
        out += finishEntry()
        let directoryOffset = offset
        var directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            directory += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0x0808) + le16(0) + le16(0) + le16(0x21)
            directory += le32(entry.crc) + le32(entry.size) + le32(entry.size) + le16(UInt16(name.count))
            directory += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(entry.offset) + name
        }
        out += directory
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(directory.count)) + le32(directoryOffset) + le16(0)
        offset += UInt32(directory.count + 22)
        return out
    }

    private mutating func file(_ name: String, _ text: String) -> [UInt8] {
        startEntry(name) + data(Array(text.utf8)) + finishEntry()
    }

    private mutating func startEntry(_ name: String) -> [UInt8] {
        let bytes = Array(name.utf8)
        // Flags: sizes in a data descriptor (bit 3), UTF-8 names (bit 11); stored, a fixed 1980 date.
        let header =
            le32(0x0403_4b50) + le16(20) + le16(0x0808) + le16(0) + le16(0) + le16(0x21) + le32(0) + le32(0) + le32(0)
            + le16(UInt16(bytes.count)) + le16(0) + bytes
        current = (name, 0xFFFF_FFFF, 0, offset)
        offset += UInt32(header.count)
        return header
    }

    private mutating func data(_ bytes: [UInt8]) -> [UInt8] {
        guard var entry = current else { return [] }
        entry.crc = CRC32.update(entry.crc, bytes)
        entry.size += UInt32(bytes.count)
        current = entry
        offset += UInt32(bytes.count)
        return bytes
    }

    private mutating func finishEntry() -> [UInt8] {
        guard var entry = current else { return [] }
        entry.crc ^= 0xFFFF_FFFF
        entries.append(entry)
        current = nil
        let descriptor = le32(0x0807_4b50) + le32(entry.crc) + le32(entry.size) + le32(entry.size)
        offset += UInt32(descriptor.count)
        return descriptor
    }

    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }

    /// XML text: the five special characters escaped and characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// CRC-32 (IEEE) as zip files use it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// Continues a running CRC (start with 0xFFFFFFFF; the final value is the complement).
    static func update(_ crc: UInt32, _ bytes: [UInt8]) -> UInt32 {
        var crc = crc
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc
    }
}
