import Foundation

/// The forms values take in DMS exports, read into Revisit's types. Each returns nil for a value it
/// cannot read; the row then reports the column and the reason.
public enum ImportValues {
    /// 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日, with or without a time after it, and Excel
    /// date serials (days since 1899-12-30).
    public static func date(_ raw: String) -> LocalDate? {
        // One pass over the bytes: runs of digits (the first three), and whether the text is a plain
        // number (an Excel serial, or 20240305).
        var numbers = Numbers()
        var current: Int?
        var plainNumber = true
        var dots = 0
        for byte in raw.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                current = (current ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
                if current! > 99_999_999 { return nil }
                continue
            }
            if byte == UInt8(ascii: ".") { dots += 1 } else if byte != 0x20 { plainNumber = false }
            if let value = current {
                numbers.append(value)
                current = nil
            }
        }
        if let value = current { numbers.append(value) }
        if plainNumber && dots <= 1 && !numbers.isEmpty && (dots == 1 || numbers.count == 1) {
            let text = ColumnMapping.trimmed(raw)
            if dots == 0 && text.utf8.count == 8 {
                let value = numbers[0]
                return LocalDate(year: value / 10_000, month: value / 100 % 100, day: value % 100)
            }
            // An Excel serial, possibly with a time fraction; 20000…100000 covers 1954–2173.
            guard let serial = Double(text), (20_000...100_000).contains(serial) else { return nil }
            return LocalDate(dayNumber: Int(serial.rounded(.down)) - 25_569)
        }
        guard numbers.count >= 3 else { return nil }
        return LocalDate(year: numbers[0], month: numbers[1], day: numbers[2])
    }

    /// The time of day after a date, as minutes since midnight: "2024-03-05 09:32", "2024/3/5 9:32:10",
    /// "2024年3月5日 09时32分", or an Excel serial's fraction. Nil when there is none. Midnight is nil too:
    /// DMS exports write 00:00:00 after dates that have no time, and no workshop opens orders at midnight.
    public static func minuteOfDay(_ raw: String) -> Int? {
        // One pass over the bytes: the runs of digits, and whether the text is a plain number with a
        // fraction (an Excel serial with its time). Foundation's trimming and a Double parse tried on
        // every cell cost an eighth of an import; both now run only for such numbers.
        var numbers = Numbers()
        var current: Int?
        var plainNumber = true
        var dots = 0
        for byte in raw.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                current = (current ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
                if current! > 99_999_999 { return nil }
                continue
            }
            if byte == UInt8(ascii: ".") { dots += 1 } else if byte != 0x20 && byte != 0x09 { plainNumber = false }
            if let value = current {
                numbers.append(value)
                current = nil
            }
        }
        if let value = current { numbers.append(value) }
        if plainNumber && dots == 1, let serial = Double(ColumnMapping.trimmed(raw)),
            (20_000...100_000).contains(serial)
        {
            let minute = Int(((serial - serial.rounded(.down)) * 1_440).rounded())
            return minute > 0 && minute < 1_440 ? minute : nil
        }
        // The numbers after the date's three: hour, then minute.
        // 20240305 0932 is one date number then the time.
        let timeStart = !numbers.isEmpty && numbers[0] > 9_999 ? 1 : 3
        guard numbers.count >= timeStart + 2 else { return nil }
        let hour = numbers[timeStart]
        let minute = numbers[timeStart + 1]
        guard hour < 24, minute < 60, hour + minute > 0 else { return nil }
        return hour * 60 + minute
    }

    /// ¥1,299.00, 1299, -12.5, 1 299.5 元 → fen (rounded half away from zero at the third decimal).
    public static func fen(_ text: String) -> Int64? {
        var negative = false
        var whole: Int64 = 0
        // The first three decimals are all that count (the third only rounds).
        var fraction: (Int64, Int64, Int64) = (0, 0, 0)
        var decimals = 0
        var inFraction = false
        var sawDigit = false
        // Over the UTF-8 bytes rather than decoded scalars: the signs and separators outside ASCII are
        // matched by their byte sequences.
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - 48)
                sawDigit = true
                if inFraction {
                    switch decimals {
                    case 0: fraction.0 = digit
                    case 1: fraction.1 = digit
                    case 2: fraction.2 = digit
                    default: break
                    }
                    decimals += 1
                } else {
                    guard whole < 1_000_000_000_000 else { return nil }
                    whole = whole * 10 + digit
                }
            case UInt8(ascii: "."):
                if inFraction { return nil }
                inFraction = true
            case UInt8(ascii: "-"):
                if sawDigit { return nil } else { negative = true }
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "+"):
                continue
            case 0xC2:
                // ¥ (C2 A5), no-break space (C2 A0)
                guard let next = utf8.next(), next == 0xA5 || next == 0xA0 else { return nil }
            case 0xEF:
                // ￥ (EF BF A5), ， (EF BC 8C)
                guard let second = utf8.next(), let third = utf8.next(),
                    (second == 0xBF && third == 0xA5) || (second == 0xBC && third == 0x8C)
                else { return nil }
            case 0xE5:
                // 元 (E5 85 83)
                guard utf8.next() == 0x85, utf8.next() == 0x83 else { return nil }
            case 0xE2:
                // − (E2 88 92), the minus sign
                guard utf8.next() == 0x88, utf8.next() == 0x92 else { return nil }
                if sawDigit { return nil } else { negative = true }
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        var cents = whole * 100 + fraction.0 * 10 + fraction.1
        if fraction.2 >= 5 { cents += 1 }
        return negative ? -cents : cents
    }

    /// The first few runs of digits in a value, without an array's allocation per cell.
    struct Numbers {
        private var slots: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
        private(set) var count = 0

        var isEmpty: Bool { count == 0 }

        /// Keeps the first six; later ones are not needed by any form read here.
        mutating func append(_ value: Int) {
            switch count {
            case 0: slots.0 = value
            case 1: slots.1 = value
            case 2: slots.2 = value
            case 3: slots.3 = value
            case 4: slots.4 = value
            case 5: slots.5 = value
            default: return
            }
            count += 1
        }

        subscript(index: Int) -> Int {
            switch index {
            case 0: slots.0
            case 1: slots.1
            case 2: slots.2
            case 3: slots.3
            case 4: slots.4
            default: slots.5
            }
        }
    }

    /// Whole numbers such as mileage: 45,000, 45000km, 45000 公里, 45000.0.
    public static func integer(_ text: String) -> Int? {
        // Plain digits (with thousands commas) are nearly every cell; read them without making strings.
        var value = 0
        var digits = 0
        var plain = true
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                guard value < 100_000_000_000 else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else if byte != UInt8(ascii: ",") {
                plain = false
                break
            }
        }
        if plain { return digits > 0 ? value : nil }
        var cleaned = text.lowercased()
        for unit in ["公里", "km", "千米", "次", "个"] { cleaned = cleaned.replacingOccurrences(of: unit, with: "") }
        cleaned = cleaned.filter { $0 != "," && $0 != " " && $0 != "，" }
        if let value = Int(cleaned) { return value }
        if let value = Double(cleaned), value.isFinite, abs(value) < 1e12 { return Int(value.rounded()) }
        return nil
    }

    public static func decimal(_ text: String) -> Double? {
        // Whole numbers (most quantities) without walking characters and calling strtod.
        var whole = 0
        var digits = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 15 else {
                digits = -1
                break
            }
            whole = whole * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        if digits > 0 { return Double(whole) }
        let cleaned = text.filter { $0 != "," && $0 != " " }
        guard let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// 是/否, Y/N, yes/no, true/false, 1/0, √/×.
    public static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "是", "y", "yes", "true", "1", "√", "✓", "有": true
        case "否", "n", "no", "false", "0", "×", "无": false
        default: nil
        }
    }

    public static func gender(_ text: String) -> Gender {
        switch text.lowercased() {
        case "男", "先生", "m", "male", "1": .male
        case "女", "女士", "小姐", "f", "female", "2": .female
        default: .unknown
        }
    }

    public static func customerType(_ text: String) -> CustomerType? {
        switch text.lowercased() {
        case "个人", "私人", "私户", "individual", "person": .individual
        case "公司", "单位", "企业", "集团", "company", "corporate": .company
        case "政府", "机关", "事业单位", "government": .government
        default: nil
        }
    }

    /// The repair-order types DMS exports write, by name; anything unknown is `other`.
    public static func orderType(_ text: String) -> RepairOrderType {
        let value = folded(text)
        return NameKey(value).flatMap { orderTypes[$0] } ?? RepairOrderType(rawValue: value) ?? .other
    }

    private static let orderTypes: [NameKey: RepairOrderType] = byName([
        (.firstMaintenance, ["首保", "首次保养", "首次免费保养", "firstmaintenance"]),
        (.secondMaintenance, ["二保", "第二次保养", "二次保养", "secondmaintenance"]),
        (
            .periodicMaintenance,
            ["定保", "常规保养", "定期保养", "保养", "小保养", "大保养", "一般保养", "periodicmaintenance", "maintenance"]
        ),
        (.generalRepair, ["一般维修", "普通维修", "机修", "维修", "常规维修", "generalrepair", "repair"]),
        (.warranty, ["保修", "索赔", "三包", "质保", "厂家索赔", "warranty"]),
        (.insuranceClaim, ["保险理赔", "保险", "理赔", "保险维修", "insuranceclaim", "insurance"]),
        (.accident, ["事故", "事故车", "事故维修", "accident"]),
        (.bodyPaint, ["钣喷", "钣金", "喷漆", "钣金喷漆", "钣喷维修", "bodypaint", "bodyandpaint"]),
        (.detailing, ["美容", "洗车", "装饰", "精品", "汽车美容", "detailing"]),
    ])

    /// 工时 / 配件 and their variants; nil when it is neither.
    public static func lineKind(_ text: String) -> LineKind? { NameKey(folded(text)).flatMap { lineKinds[$0] } }

    private static let lineKinds: [NameKey: LineKind] = byName([
        (.labor, ["工时", "人工", "工时费", "维修工时", "labor", "labour", "l"]),
        (.part, ["配件", "材料", "零件", "备件", "辅料", "配件材料", "part", "parts", "material", "p", "m"]),
    ])

    /// Name tables keyed by UTF-8 bytes: every row looks one up, and comparing or hashing non-ASCII
    /// Strings goes through Unicode normalization (a tenth of the parse time of an import).
    private static func byName<T>(_ table: [(T, [String])]) -> [NameKey: T] {
        var names: [NameKey: T] = [:]
        for (value, synonyms) in table {
            for name in synonyms {
                guard let key = NameKey(name) else { preconditionFailure("a synonym longer than a NameKey: \(name)") }
                names[key] = value
            }
        }
        return names
    }

    /// A name of up to 32 UTF-8 bytes held as four words, compared byte for byte: a type or kind cell
    /// is looked up on every row, and an array of its bytes for the key was an allocation each time.
    struct NameKey: Hashable {
        private var first: UInt64 = 0
        private var second: UInt64 = 0
        private var third: UInt64 = 0
        private var fourth: UInt64 = 0
        private var count = 0

        init?(_ text: String) {
            for byte in text.utf8 {
                let shift = UInt64(count % 8) * 8
                switch count / 8 {
                case 0: first |= UInt64(byte) << shift
                case 1: second |= UInt64(byte) << shift
                case 2: third |= UInt64(byte) << shift
                case 3: fourth |= UInt64(byte) << shift
                default: return nil
                }
                count += 1
            }
        }
    }

    /// Lower-cased without whitespace. A cell of lower-case ASCII and CJK ideographs (U+4000–U+9FFF, lead
    /// bytes E4–E9), nearly every one, has neither and comes back as it is.
    private static func folded(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { byte in
            switch byte {
            case 0x21...0x40, 0x5B...0x7E, 0x80...0xBF, 0xE4...0xE9: true
            default: false
            }
        }
        return plain ? text : text.lowercased().filter { !$0.isWhitespace }
    }
}
