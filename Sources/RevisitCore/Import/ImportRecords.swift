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

    /// What the row says, as one stable value: equal fingerprints mean nothing changed.
    public var fingerprint: UInt64 {
        Fingerprint.of([
            customerNo, name, type?.rawValue, gender?.rawValue, phones.map(\.digits).joined(separator: ","), address,
            region, birthday?.description, sourceChannel, licenceReviewDate?.description,
            consentSMS.map { $0 ? "1" : "0" },
        ])
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

    /// The order's own fields; its line has its own fingerprint.
    public var fingerprint: UInt64 {
        Fingerprint.of([
            orderNo, openedOn?.description, closedOn?.description, mileageIn.map(String.init), type?.rawValue,
            customerNo, vin, advisorName, laborFen.map(String.init), partsFen.map(String.init),
            totalFen.map(String.init), costFen.map(String.init), internalComeback.map { $0 ? "1" : "0" },
            externalComeback.map { $0 ? "1" : "0" },
        ])
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
        Fingerprint.of([
            lineNo.map(String.init), kind.rawValue, code, name, String(quantity), String(amountFen), String(costFen),
        ])
    }
}

/// FNV-1a over the fields with a separator that cannot occur in them: stable across processes and
/// releases, unlike Swift's seeded `Hasher`, so fingerprints stored by one import compare with the next.
public enum Fingerprint {
    public static func of(_ fields: [String?]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for field in fields {
            for byte in (field ?? "\u{0}").utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0x1f
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
