import Foundation

/// The kind of workshop visit, as DMS exports name it.
public enum RepairOrderType: String, Sendable, Codable, CaseIterable {
    case firstMaintenance = "first-maintenance"  // 首保
    case secondMaintenance = "second-maintenance"  // 二保
    case periodicMaintenance = "periodic-maintenance"  // 定保
    case generalRepair = "general-repair"  // 一般维修
    case warranty = "warranty"  // 三包 / 保修
    case insuranceClaim = "insurance-claim"  // 保险理赔
    case accident = "accident"  // 事故
    case bodyPaint = "body-paint"  // 钣喷
    case detailing = "detailing"  // 美容
    case other = "other"

    /// Maintenance visits are what the next-maintenance prediction reads.
    public var isMaintenance: Bool {
        self == .firstMaintenance || self == .secondMaintenance || self == .periodicMaintenance
    }

    public var labelKey: String { "ro_type.\(rawValue)" }
}

public enum LineKind: String, Sendable, Codable, CaseIterable {
    case labor, part
}

public struct RepairOrderLine: Sendable, Equatable, Codable {
    public var lineNo: Int
    public var kind: LineKind
    public var code: String
    public var name: String
    public var quantity: Double
    public var amountFen: Int64
    public var costFen: Int64

    public init(
        lineNo: Int, kind: LineKind, code: String, name: String, quantity: Double, amountFen: Int64, costFen: Int64
    ) {
        self.lineNo = lineNo
        self.kind = kind
        self.code = code
        self.name = name
        self.quantity = quantity
        self.amountFen = amountFen
        self.costFen = costFen
    }
}

/// One workshop visit (工单). Money is integer fen; dates are store-local.
public struct RepairOrder: Sendable, Equatable {
    public var id: Int64
    public var storeId: Int64
    public var orderNo: String
    public var vehicleId: Int64?
    public var customerId: Int64?
    public var advisorId: Int64?
    /// The SA's name as the DMS wrote it, kept when it matches no user yet.
    public var advisorName: String
    public var type: RepairOrderType
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    public var mileageIn: Int?
    public var laborFen: Int64
    public var partsFen: Int64
    public var totalFen: Int64
    public var costFen: Int64
    public var internalComeback: Bool
    public var externalComeback: Bool
    public var lines: [RepairOrderLine]
    /// The VIN and DMS customer number of the linked records, for lists and exports.
    public var vin: String?
    public var customerNo: String?
    /// Minutes after store-local midnight the order was opened, when the DMS gave a time.
    public var openedMinute: Int?

    public init(
        id: Int64, storeId: Int64, orderNo: String, vehicleId: Int64?, customerId: Int64?, advisorId: Int64?,
        advisorName: String, type: RepairOrderType, openedOn: LocalDate, closedOn: LocalDate?, mileageIn: Int?,
        laborFen: Int64, partsFen: Int64, totalFen: Int64, costFen: Int64, internalComeback: Bool,
        externalComeback: Bool, lines: [RepairOrderLine], vin: String? = nil, customerNo: String? = nil,
        openedMinute: Int? = nil
    ) {
        self.id = id
        self.storeId = storeId
        self.orderNo = orderNo
        self.vehicleId = vehicleId
        self.customerId = customerId
        self.advisorId = advisorId
        self.advisorName = advisorName
        self.type = type
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.mileageIn = mileageIn
        self.laborFen = laborFen
        self.partsFen = partsFen
        self.totalFen = totalFen
        self.costFen = costFen
        self.internalComeback = internalComeback
        self.externalComeback = externalComeback
        self.lines = lines
        self.vin = vin
        self.customerNo = customerNo
        self.openedMinute = openedMinute
    }

    public var grossProfitFen: Int64 { totalFen - costFen }

    /// Days in the workshop, counting the opening day (a same-day job is 1).
    public var daysInShop: Int? { closedOn.map { openedOn.days(to: $0) + 1 } }
}

/// Money in fen shown as yuan: `¥1,234.50`.
public enum Money {
    public static func yuan(_ fen: Int64) -> String {
        let negative = fen < 0
        let absolute = negative ? -fen : fen
        let whole = absolute / 100
        let cents = absolute % 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return (negative ? "-¥" : "¥") + digits + grouped + String(format: ".%02lld", cents)
    }
}
