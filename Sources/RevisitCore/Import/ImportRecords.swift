import Foundation

/// A reason one row of a file was not taken: its line, the column (as headed in the file) and why.
public struct ImportProblem: Sendable, Equatable {
    public var line: Int
    public var column: String
    public var code: ErrorCode
    public var args: [String: String]

    public init(line: Int, column: String, code: ErrorCode, args: [String: String] = [:]) {
        self.line = line
        self.column = column
        self.code = code
        self.args = args
    }
}

/// A customer row. Nil means the file says nothing about that field (no column, or a blank cell): an
/// update never erases what Revisit already knows with a blank.
public struct CustomerImport: Sendable, Equatable {
    public var line: Int
    public var customerNo: String
    public var name: String
    public var type: CustomerType?
    public var gender: Gender?
    /// In file order; the first is the primary. Numbers that are not valid are kept and flagged.
    public var phones: [PhoneNumber]
    public var address: String?
    public var region: String?
    public var birthday: LocalDate?
    public var sourceChannel: String?
    public var licenceReviewDate: LocalDate?
    public var consentSMS: Bool?
    /// Service messages (reminders) allowed; nil when the file has no such column (consent stays).
    public var consentService: Bool? = nil

    /// What the row says, as one stable value: equal fingerprints mean nothing changed. The service
    /// consent joins only when the file has it, so files without the column keep their fingerprints.
    public var fingerprint: UInt64 {
        var parts: [String?] = [
            customerNo, name, type?.rawValue, gender?.rawValue, phones.map(\.digits).joined(separator: ","), address,
            region, birthday?.description, sourceChannel, licenceReviewDate?.description,
            consentSMS.map { $0 ? "1" : "0" },
        ]
        if let consentService { parts.append(consentService ? "service:1" : "service:0") }
        return Fingerprint.of(parts)
    }
}

public struct VehicleImport: Sendable, Equatable {
    public var line: Int
    /// Upper-cased; kept even when it fails the check (then `vinValid` is false).
    public var vin: String
    public var vinValid: Bool
    public var plate: String?
    public var customerNo: String?
    public var brand: String?
    public var model: String?
    public var trim: String?
    public var colour: String?
    public var deliveryDate: LocalDate?
    public var boughtHere: Bool?
    public var mileageKm: Int?
    public var mileageReadOn: LocalDate?
    public var insuranceCompany: String?
    public var insuranceExpiry: LocalDate?
    public var inspectionDue: LocalDate?
    public var warrantyEndDate: LocalDate?
    public var warrantyEndKm: Int?

    public var fingerprint: UInt64 {
        Fingerprint.of([
            vin, plate, customerNo, brand, model, trim, colour, deliveryDate?.description,
            boughtHere.map { $0 ? "1" : "0" }, mileageKm.map(String.init), mileageReadOn?.description,
            insuranceCompany, insuranceExpiry?.description, inspectionDue?.description,
            warrantyEndDate?.description, warrantyEndKm.map(String.init),
        ])
    }
}

/// A repair-order row, with its line when the file is flattened (one line per row).
public struct RepairOrderImport: Sendable, Equatable {
    public var line: Int
    public var orderNo: String
    public var openedOn: LocalDate?
    /// Minutes after midnight, when the open date came with a time.
    public var openedMinute: Int?
    public var closedOn: LocalDate?
    public var mileageIn: Int?
    public var type: RepairOrderType?
    public var customerNo: String?
    public var vin: String?
    public var advisorName: String?
    public var laborFen: Int64?
    public var partsFen: Int64?
    public var totalFen: Int64?
    public var costFen: Int64?
    public var internalComeback: Bool?
    public var externalComeback: Bool?
    public var item: LineImport?
    /// A later row of an order already met in this file: in a flattened file the order's fields come from
    /// its first row, so an order whose rows disagree still imports the same way every time.
    public var continuesOrder = false
    /// The hash of the rows this row came with (`OrderSourceHash`), when they are the order's first in the
    /// file and all good: the store keeps it with the order, unless a row without it changes the order's
    /// lines. Not part of the fingerprint.
    public var source: Int64?

    /// The order's own fields; its line has its own fingerprint.
    public var fingerprint: UInt64 {
        var hash = Fingerprint()
        hash.add(orderNo)
        hash.add(openedOn)
        hash.add(closedOn)
        hash.add(mileageIn.map(Int64.init))
        hash.add(type?.rawValue)
        hash.add(customerNo)
        hash.add(vin)
        hash.add(advisorName)
        hash.add(laborFen)
        hash.add(partsFen)
        hash.add(totalFen)
        hash.add(costFen)
        hash.add(internalComeback)
        hash.add(externalComeback)
        // Only when present: files without times keep the fingerprints they were imported with.
        if let openedMinute { hash.add(Int64(openedMinute)) }
        return hash.value
    }
}

public struct LineImport: Sendable, Equatable {
    /// From the file, or numbered by order of appearance within its repair order when the file has none.
    public var lineNo: Int?
    public var kind: LineKind
    public var code: String
    public var name: String
    public var quantity: Double
    public var amountFen: Int64
    public var costFen: Int64

    public var fingerprint: UInt64 {
        var hash = Fingerprint()
        hash.add(lineNo.map(Int64.init))
        hash.add(kind.rawValue)
        hash.add(code)
        hash.add(name)
        hash.add(quantity)
        hash.add(amountFen)
        hash.add(costFen)
        return hash.value
    }
}

/// FNV-1a over the fields with a separator that cannot occur in them: stable across processes and
/// releases, unlike Swift's seeded `Hasher`, so fingerprints stored by one import compare with the next.
/// Each field hashes as its text (a date as 2024-03-05, a number in decimal, a flag as 1/0, nothing as
/// NUL); the typed `add`s feed those bytes without making the strings, which every row of a file would.
public struct Fingerprint {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public static func of(_ fields: [String?]) -> UInt64 {
        var hash = Fingerprint()
        for field in fields { hash.add(field) }
        return hash.value
    }

    @inline(__always)
    private mutating func byte(_ byte: UInt8) {
        value ^= UInt64(byte)
        value &*= 0x0000_0100_0000_01b3
    }

    private mutating func end() { byte(0x1f) }

    public mutating func add(_ text: String?) {
        guard let text else { return absent() }
        var contiguous = text
        contiguous.withUTF8 { bytes in
            for each in bytes { byte(each) }
        }
        end()
    }

    public mutating func add(_ number: Int64?) {
        guard let number else { return absent() }
        digits(number)
        end()
    }

    public mutating func add(_ flag: Bool?) {
        guard let flag else { return absent() }
        byte(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        end()
    }

    public mutating func add(_ date: LocalDate?) {
        guard let date else { return absent() }
        padded(date.year, width: 4)
        byte(UInt8(ascii: "-"))
        padded(date.month, width: 2)
        byte(UInt8(ascii: "-"))
        padded(date.day, width: 2)
        end()
    }

    /// As `String(number)` writes it: whole numbers below 2^53 as "12.0", others through String.
    public mutating func add(_ number: Double) {
        if number == number.rounded(.towardZero), abs(number) < 9_007_199_254_740_992 {
            digits(Int64(number))
            byte(UInt8(ascii: "."))
            byte(UInt8(ascii: "0"))
            end()
        } else {
            add(String(number))
        }
    }

    private mutating func absent() {
        byte(0)
        end()
    }

    private mutating func digits(_ number: Int64) {
        if number < 0 { byte(UInt8(ascii: "-")) }
        var rest = number.magnitude
        var divisor: UInt64 = 1
        while divisor <= rest / 10 { divisor *= 10 }
        while divisor > 0 {
            byte(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private mutating func padded(_ number: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            byte(UInt8(48 + (rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
