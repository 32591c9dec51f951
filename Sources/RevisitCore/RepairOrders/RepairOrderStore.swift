import Foundation

public struct RepairOrderQuery: Sendable, Equatable {
    /// An order number (or its start), a plate or a VIN.
    public var q: String
    public var storeId: Int64?
    public var customerId: Int64?
    public var vehicleId: Int64?
    public var type: RepairOrderType?
    public var from: LocalDate?
    public var until: LocalDate?
    public var limit: Int
    public var cursor: String?

    public init(
        q: String = "", storeId: Int64? = nil, customerId: Int64? = nil, vehicleId: Int64? = nil,
        type: RepairOrderType? = nil, from: LocalDate? = nil, until: LocalDate? = nil, limit: Int = 50,
        cursor: String? = nil
    ) {
        self.q = q
        self.storeId = storeId
        self.customerId = customerId
        self.vehicleId = vehicleId
        self.type = type
        self.from = from
        self.until = until
        self.limit = limit
        self.cursor = cursor
    }
}

/// A repair order as typed or imported, before it has an id.
public struct RepairOrderDraft: Sendable, Equatable {
    public var orderNo: String
    public var vehicleId: Int64?
    public var customerId: Int64?
    public var advisorId: Int64?
    public var advisorName: String
    public var type: RepairOrderType
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    public var mileageIn: Int?
    public var internalComeback: Bool
    public var externalComeback: Bool
    public var lines: [RepairOrderLine]
    /// Totals as the DMS gave them; computed from the lines when nil.
    public var totalFen: Int64?
    public var costFen: Int64?

    public init(
        orderNo: String, vehicleId: Int64? = nil, customerId: Int64? = nil, advisorId: Int64? = nil,
        advisorName: String = "", type: RepairOrderType, openedOn: LocalDate, closedOn: LocalDate? = nil,
        mileageIn: Int? = nil, internalComeback: Bool = false, externalComeback: Bool = false,
        lines: [RepairOrderLine] = [], totalFen: Int64? = nil, costFen: Int64? = nil
    ) {
        self.orderNo = orderNo
        self.vehicleId = vehicleId
        self.customerId = customerId
        self.advisorId = advisorId
        self.advisorName = advisorName
        self.type = type
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.mileageIn = mileageIn
        self.internalComeback = internalComeback
        self.externalComeback = externalComeback
        self.lines = lines
        self.totalFen = totalFen
        self.costFen = costFen
    }

    public var laborFen: Int64 { lines.filter { $0.kind == .labor }.reduce(0) { $0 + $1.amountFen } }
    public var partsFen: Int64 { lines.filter { $0.kind == .part }.reduce(0) { $0 + $1.amountFen } }
    public var computedTotalFen: Int64 { totalFen ?? (laborFen + partsFen) }
    public var computedCostFen: Int64 { costFen ?? lines.reduce(0) { $0 + $1.costFen } }

    public func validated() throws(RevisitError) -> RepairOrderDraft {
        var draft = self
        draft.orderNo = try FieldRules.text(orderNo, field: "orderNo", max: 40)
        draft.advisorName = try FieldRules.text(advisorName, field: "advisorName", max: 40, required: false)
        if let closedOn, closedOn < openedOn {
            throw RevisitError(
                .validation, code: .invalidDate, field: "closedOn", args: ["value": closedOn.description])
        }
        if let mileageIn, mileageIn < 0 || mileageIn > 3_000_000 {
            throw RevisitError(.validation, code: .invalidValue, field: "mileageIn", args: ["value": String(mileageIn)])
        }
        if lines.count > 500 { throw RevisitError(.validation, code: .tooMany, field: "lines", args: ["max": "500"]) }
        for (index, line) in lines.enumerated() {
            draft.lines[index].name = try FieldRules.text(line.name, field: "lines[\(index)].name", max: 100)
            draft.lines[index].code = try FieldRules.text(
                line.code, field: "lines[\(index)].code", max: 40, required: false)
            draft.lines[index].lineNo = line.lineNo > 0 ? line.lineNo : index + 1
        }
        return draft
    }
}

public protocol RepairOrderStore: Sendable {
    func repairOrders(_ query: RepairOrderQuery, scope: Scope) async throws -> Page<RepairOrder>
    func repairOrder(id: Int64, scope: Scope) async throws -> RepairOrder
    func createRepairOrder(storeId: Int64, _ draft: RepairOrderDraft, scope: Scope) async throws -> RepairOrder
}
