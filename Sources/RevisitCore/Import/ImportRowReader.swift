import Foundation

/// Everything wrong with one row.
public struct RowProblems: Error, Sendable, Equatable {
    public let problems: [ImportProblem]
}

/// Reads one row of cells into a record through a column mapping, collecting every problem the row has
/// (a row with any is reported and not imported). Imperfect VINs, plates and phones are not problems:
/// they are kept and flagged, as DOMAIN §1 says for imported data.
public struct ImportRowReader: Sendable {
    public let mapping: ColumnMapping
    /// Which optional groups of repair-order columns the file has: most files lack some, and they are
    /// then not asked for on every row.
    private let orderAmounts: Bool
    private let lineCost: Bool
    private let comebacks: Bool
    /// The columns of a repair order's own fields (not its line's).
    private let orderColumns: [Int]

    public init(mapping: ColumnMapping) {
        self.mapping = mapping
        orderAmounts = [.laborAmount, .partsAmount, .totalAmount, .costAmount].contains(where: mapping.has)
        lineCost = mapping.has(.lineCost)
        comebacks = mapping.has(.internalComeback) || mapping.has(.externalComeback)
        let orderFields: [ImportField] = [
            .orderNo, .openedOn, .closedOn, .mileageIn, .orderType, .customerNo, .vin, .advisor, .laborAmount,
            .partsAmount, .totalAmount, .costAmount, .internalComeback, .externalComeback,
        ]
        orderColumns = orderFields.compactMap { mapping.columns[$0] }
    }

    /// The last good repair-order row read, with its cells: a flattened file repeats an order's fields on
    /// each of its lines' rows, and a row whose order cells are the same text as the last one's has the
    /// same order fields, so only its line is read (two thirds of the benchmark file's rows).
    public struct PreviousOrder: Sendable {
        fileprivate let cells: [String]
        fileprivate let record: RepairOrderImport
    }

    /// Collects the problems of one row while its fields are read.
    private struct Row {
        let line: Int
        let cells: [String]
        let mapping: ColumnMapping
        var problems: [ImportProblem] = []

        func text(_ field: ImportField) -> String? { mapping.value(field, in: cells) }

        mutating func required(_ field: ImportField, max: Int = 200) -> String {
            guard let value = text(field) else {
                problems.append(
                    ImportProblem(
                        line: line, column: mapping.header(of: field), code: .required,
                        args: ["field": mapping.header(of: field)]))
                return ""
            }
            return limited(field, value, max: max) ?? ""
        }

        mutating func string(_ field: ImportField, max: Int = 200) -> String? {
            text(field).flatMap { limited(field, $0, max: max) }
        }

        mutating func limited(_ field: ImportField, _ value: String, max: Int) -> String? {
            // Bytes bound characters from above, so the costly character count is rarely needed.
            guard value.utf8.count <= max || value.count <= max else {
                problem(field, .tooLong, ["field": mapping.header(of: field), "max": String(max)])
                return nil
            }
            return value
        }

        mutating func parsed<T>(_ field: ImportField, _ code: ErrorCode, _ parse: (String) -> T?) -> T? {
            guard let value = text(field) else { return nil }
            guard let result = parse(value) else {
                problem(field, code, ["value": value, "field": mapping.header(of: field)])
                return nil
            }
            return result
        }

        mutating func date(_ field: ImportField) -> LocalDate? { parsed(field, .invalidDate, ImportValues.date) }
        mutating func fen(_ field: ImportField) -> Int64? { parsed(field, .invalidAmount, ImportValues.fen) }
        mutating func integer(_ field: ImportField) -> Int? { parsed(field, .invalidNumber, ImportValues.integer) }
        mutating func flag(_ field: ImportField) -> Bool? { parsed(field, .invalidValue, ImportValues.flag) }

        mutating func problem(_ field: ImportField, _ code: ErrorCode, _ args: [String: String]) {
            problems.append(ImportProblem(line: line, column: mapping.header(of: field), code: code, args: args))
        }
    }

    public func customer(_ source: SourceRow) -> Result<CustomerImport, RowProblems> {
        var row = Row(line: source.line, cells: source.cells, mapping: mapping)
        let customerNo = row.required(.customerNo, max: 64)
        let name = row.required(.name)
        let type = row.parsed(.customerType, .invalidValue, ImportValues.customerType)
        let gender = row.text(.gender).map(ImportValues.gender)
        var phones: [PhoneNumber] = []
        for field in [ImportField.mobile, .phone] {
            // One cell may hold several numbers: "13812345678/010-85550101".
            for part in (row.text(field) ?? "").split(whereSeparator: { "/;；、,，".contains($0) }) {
                let number = PhoneNumber(String(part))
                if !number.digits.isEmpty, !phones.contains(where: { $0.digits == number.digits }) {
                    phones.append(number)
                }
            }
        }
        var record = CustomerImport(
            line: source.line, customerNo: customerNo, name: name, type: type, gender: gender, phones: phones,
            address: row.string(.address, max: 500), region: row.string(.region), birthday: row.date(.birthday),
            sourceChannel: row.string(.sourceChannel), licenceReviewDate: row.date(.licenceReviewDate),
            consentSMS: row.flag(.consentSMS))
        record.consentService = row.flag(.consentService)
        return row.problems.isEmpty ? .success(record) : .failure(RowProblems(problems: row.problems))
    }

    public func vehicle(_ source: SourceRow) -> Result<VehicleImport, RowProblems> {
        var row = Row(line: source.line, cells: source.cells, mapping: mapping)
        let vin = VIN.normalize(row.required(.vin, max: 40))
        let plate = row.string(.plate, max: 20).map(Plate.normalize)
        let record = VehicleImport(
            line: source.line, vin: vin, vinValid: VIN.problem(vin) == nil, plate: plate,
            customerNo: row.string(.customerNo, max: 64), brand: row.string(.brand), model: row.string(.model),
            trim: row.string(.trim), colour: row.string(.colour), deliveryDate: row.date(.deliveryDate),
            boughtHere: row.flag(.boughtHere), mileageKm: row.integer(.mileage),
            mileageReadOn: row.date(.mileageReadOn), insuranceCompany: row.string(.insuranceCompany),
            insuranceExpiry: row.date(.insuranceExpiry), inspectionDue: row.date(.inspectionDue),
            warrantyEndDate: row.date(.warrantyEndDate), warrantyEndKm: row.integer(.warrantyEndKm))
        return row.problems.isEmpty ? .success(record) : .failure(RowProblems(problems: row.problems))
    }

    /// A repair order, with its line when the mapping has line columns (always for `lines` files).
    public func repairOrder(_ source: SourceRow) -> Result<RepairOrderImport, RowProblems> {
        var previous: PreviousOrder?
        return repairOrder(source, after: &previous)
    }

    /// The same, reading the order's fields only when its cells differ from `previous`'s; `previous`
    /// becomes this row when it is good.
    public func repairOrder(
        _ source: SourceRow, after previous: inout PreviousOrder?
    ) -> Result<RepairOrderImport, RowProblems> {
        if let last = previous, sameOrderCells(source.cells, last.cells) {
            var row = Row(line: source.line, cells: source.cells, mapping: mapping)
            var record = last.record
            record.line = source.line
            record.item = item(&row)
            return row.problems.isEmpty ? .success(record) : .failure(RowProblems(problems: row.problems))
        }
        let result = readRepairOrder(source)
        previous = (try? result.get()).map { PreviousOrder(cells: source.cells, record: $0) }
        return result
    }

    private func sameOrderCells(_ cells: [String], _ other: [String]) -> Bool {
        for column in orderColumns {
            guard column < cells.count, column < other.count, cells[column] == other[column] else { return false }
        }
        return true
    }

    /// The line of a row, when the mapping has line columns.
    private func item(_ row: inout Row) -> LineImport? {
        guard mapping.kind == .lines || mapping.has(.itemName) else { return nil }
        let name = row.required(.itemName)
        let kindText = row.text(.itemKind)
        let kind = kindText.map(ImportValues.lineKind) ?? .part
        if kind == nil, let kindText {
            row.problem(.itemKind, .unknownLineKind, ["value": kindText])
        }
        return LineImport(
            lineNo: row.integer(.lineNo), kind: kind ?? .part, code: row.string(.itemCode, max: 64) ?? "",
            name: name, quantity: row.parsed(.quantity, .invalidNumber, ImportValues.decimal) ?? 1,
            amountFen: row.fen(.lineAmount) ?? 0, costFen: lineCost ? row.fen(.lineCost) ?? 0 : 0)
    }

    private func readRepairOrder(_ source: SourceRow) -> Result<RepairOrderImport, RowProblems> {
        var row = Row(line: source.line, cells: source.cells, mapping: mapping)
        let orderNo = row.required(.orderNo, max: 64)
        // A repair order needs the day it opened; a lines file only points at orders.
        let openedText = row.text(.openedOn)
        let openedOn: LocalDate?
        if mapping.kind == .repairOrders, openedText == nil {
            _ = row.required(.openedOn)
            openedOn = nil
        } else {
            openedOn = row.date(.openedOn)
        }
        // The line's problems come between the open date's and the rest's, as they always have.
        let item = item(&row)
        let record = RepairOrderImport(
            line: source.line, orderNo: orderNo, openedOn: openedOn,
            openedMinute: openedOn == nil ? nil : openedText.flatMap(ImportValues.minuteOfDay),
            closedOn: row.date(.closedOn),
            mileageIn: row.integer(.mileageIn), type: row.text(.orderType).map(ImportValues.orderType),
            customerNo: row.string(.customerNo, max: 64), vin: row.string(.vin, max: 40).map(VIN.normalize),
            advisorName: row.string(.advisor, max: 100), laborFen: orderAmounts ? row.fen(.laborAmount) : nil,
            partsFen: orderAmounts ? row.fen(.partsAmount) : nil, totalFen: orderAmounts ? row.fen(.totalAmount) : nil,
            costFen: orderAmounts ? row.fen(.costAmount) : nil,
            internalComeback: comebacks ? row.flag(.internalComeback) : nil,
            externalComeback: comebacks ? row.flag(.externalComeback) : nil, item: item)
        return row.problems.isEmpty ? .success(record) : .failure(RowProblems(problems: row.problems))
    }
}
