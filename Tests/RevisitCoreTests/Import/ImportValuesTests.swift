import Foundation
import Testing

@testable import RevisitCore

@Suite struct ImportValuesTests {
    @Test(arguments: [
        "2024-03-05", "2024/3/5", "2024.3.5", "20240305", "2024年3月5日", "2024年03月05日", "2024-03-05 14:30:00",
        "2024/3/5 9:05", "45356", "45356.6041", " 2024-3-5 ",
    ])
    func everyCommonDateForm(text: String) {
        #expect(ImportValues.date(text) == LocalDate("2024-03-05"), "\(text)")
    }

    @Test func theTimeAfterADateIsReadAsMinutes() {
        #expect(ImportValues.minuteOfDay("2024-03-05 09:32") == 572)
        #expect(ImportValues.minuteOfDay("2024/3/5 9:32:10") == 572)
        #expect(ImportValues.minuteOfDay("2024年3月5日 09时32分") == 572)
        #expect(ImportValues.minuteOfDay("20240305 17:05") == 1_025)
        #expect(ImportValues.minuteOfDay("45356.396") == 570)
        #expect(ImportValues.minuteOfDay(" 45356.396 ") == 570)
        // A dot that is not an Excel fraction: read as the date's numbers then the time.
        #expect(ImportValues.minuteOfDay("20240305 09.32") == 572)
        // No time, a placeholder midnight, or nonsense: nothing.
        for text in ["2024-03-05", "2024-03-05 00:00:00", "45356", "2024-03-05 25:10", "2024-03-05 09:75"] {
            #expect(ImportValues.minuteOfDay(text) == nil, "\(text)")
        }
    }

    @Test func eachFieldsOrdinalIsItsPlaceAmongAllCases() {
        for (index, field) in ImportField.allCases.enumerated() { #expect(field.ordinal == index, "\(field)") }
    }

    @Test func impossibleDatesAreNotRead() {
        for text in ["2024-02-30", "2024-13-01", "05/03/2024", "下周", "123", "2024-03"] {
            #expect(ImportValues.date(text) == nil, "\(text)")
        }
    }

    @Test func amountsBecomeFen() {
        #expect(ImportValues.fen("¥1,299.00") == 129_900)
        #expect(ImportValues.fen("￥ 1 299.5 元") == 129_950)
        #expect(ImportValues.fen("1299") == 129_900)
        #expect(ImportValues.fen("-12.345") == -1_235)
        #expect(ImportValues.fen("0.015") == 2)
        for bad in ["", "一千", "12.3.4", "1-2", "¥"] { #expect(ImportValues.fen(bad) == nil, "\(bad)") }
        // Every sign and separator outside ASCII, read byte by byte.
        #expect(ImportValues.fen("\u{a0}1，299.00\u{a0}元") == 129_900)
        #expect(ImportValues.fen("−5") == -500)
        #expect(ImportValues.fen("+5") == 500)
        for bad in ["5−", "¢5", "5€", "元元x", "1\u{a0}\u{a1}"] { #expect(ImportValues.fen(bad) == nil, "\(bad)") }
    }

    @Test func numbersFlagsAndNames() {
        #expect(ImportValues.decimal("4") == 4 && ImportValues.decimal("1,000.5") == 1_000.5)
        #expect(ImportValues.decimal("0.25") == 0.25 && ImportValues.decimal("12 0") == 120)
        #expect(ImportValues.decimal("四") == nil && ImportValues.decimal("") == nil)
        #expect(ImportValues.integer("45,000") == 45_000 && ImportValues.integer("45000 km") == 45_000)
        #expect(ImportValues.integer("45000.4公里") == 45_000 && ImportValues.integer("很远") == nil)
        #expect(ImportValues.flag("是") == true && ImportValues.flag("N") == false && ImportValues.flag("也许") == nil)
        #expect(ImportValues.gender("女士") == .female && ImportValues.gender("?") == .unknown)
        #expect(ImportValues.customerType("单位") == .company && ImportValues.customerType("外星人") == nil)
    }

    @Test(arguments: [
        ("首保", RepairOrderType.firstMaintenance), ("二保", .secondMaintenance), ("定保", .periodicMaintenance),
        ("常规保养", .periodicMaintenance), ("一般维修", .generalRepair), ("保修", .warranty), ("索赔", .warranty),
        ("三包", .warranty), ("事故", .accident), ("保险理赔", .insuranceClaim), ("钣喷", .bodyPaint),
        ("美容", .detailing), ("加装", .other),
    ])
    func repairOrderTypesByTheirDMSNames(text: String, type: RepairOrderType) {
        #expect(ImportValues.orderType(text) == type)
    }

    @Test func lineKinds() {
        #expect(ImportValues.lineKind("工时") == .labor && ImportValues.lineKind("配件") == .part)
        #expect(ImportValues.lineKind("材料") == .part && ImportValues.lineKind("其他") == nil)
    }
}

@Suite struct ColumnMappingTests {
    @Test func chineseAndEnglishHeadersFindTheirFields() {
        let mapping = ColumnMapping(
            kind: .repairOrders,
            headers: [
                "工单号", "开单日期", "出厂日期", "行驶里程", "工单类型", "客户号", "VIN", "项目类型", "项目编码", "项目名称",
                "数量", "金额(元)", "服务顾问", "备注",
            ])
        #expect(mapping.missing.isEmpty)
        #expect(mapping.columns[.openedOn] == 1 && mapping.columns[.closedOn] == 2 && mapping.columns[.mileageIn] == 3)
        #expect(mapping.columns[.lineAmount] == 11 && mapping.columns[.advisor] == 12)
        #expect(mapping.unused == ["备注"])
        let english = ColumnMapping(kind: .customers, headers: ["Customer No.", "Name", "Mobile Phone", "Address"])
        #expect(english.columns[.customerNo] == 0 && english.columns[.mobile] == 2 && english.missing.isEmpty)
    }

    @Test func aSavedMappingOverridesTheSynonyms() {
        let mapping = ColumnMapping(
            kind: .customers, headers: ["档案号", "客户名称", "客户号"], overrides: [.customerNo: "档案号"])
        #expect(mapping.columns[.customerNo] == 0 && mapping.unused == ["客户号"])
    }

    @Test func aFileWithoutARequiredColumnIsRefusedNamingIt() {
        let mapping = ColumnMapping(kind: .vehicles, headers: ["车牌", "品牌"])
        #expect(throws: RevisitError.self) { try mapping.requireComplete() }
        do {
            try mapping.requireComplete()
        } catch {
            #expect(error.code == .importMissingColumns && error.args["missing"] == "vin")
            #expect(error.args["headers"] == "车牌, 品牌")
        }
    }
}

@Suite struct ImportRowReaderTests {
    @Test func aGoodCustomerRowKeepsImperfectPhonesFlagged() throws {
        let mapping = ColumnMapping(kind: .customers, headers: ["客户号", "姓名", "联系电话", "性别", "生日"])
        let reader = ImportRowReader(mapping: mapping)
        let record = try reader.customer(SourceRow(line: 2, cells: ["KH1", "王伟", "138-1234-5678/12345", "男", ""])).get()
        #expect(record.phones.map(\.digits) == ["13812345678", "12345"])
        #expect(record.phones.map(\.isValid) == [true, false])
        #expect(record.gender == .male && record.birthday == nil && record.address == nil)
    }

    @Test func aBadRowReportsEveryProblemWithLineAndColumn() {
        let mapping = ColumnMapping(kind: .repairOrders, headers: ["工单号", "开单日期", "金额", "项目名称", "项目类型"])
        let result = ImportRowReader(mapping: mapping).repairOrder(
            SourceRow(line: 7, cells: ["RO9", "2024-02-30", "很多", "", "其他"]))
        guard case .failure(let failure) = result else {
            Issue.record("expected problems")
            return
        }
        #expect(failure.problems.map(\.line) == [7, 7, 7, 7])
        #expect(Set(failure.problems.map(\.column)) == ["开单日期", "金额", "项目名称", "项目类型"])
        #expect(Set(failure.problems.map(\.code)) == [.invalidDate, .invalidAmount, .required, .unknownLineKind])
    }

    @Test func fingerprintsChangeWithAnyFieldAndOnlyThen() throws {
        let mapping = ColumnMapping(kind: .vehicles, headers: ["VIN", "车牌", "客户号"])
        let reader = ImportRowReader(mapping: mapping)
        let a = try reader.vehicle(SourceRow(line: 2, cells: ["lsvau2187n2184306", "京A12345", "KH1"])).get()
        let same = try reader.vehicle(SourceRow(line: 9, cells: ["LSVAU2187N2184306", "京A12345", "KH1"])).get()
        let moved = try reader.vehicle(SourceRow(line: 2, cells: ["LSVAU2187N2184306", "京A12345", "KH2"])).get()
        #expect(a.vin == "LSVAU2187N2184306" && a.vinValid)
        #expect(a.fingerprint == same.fingerprint && a.fingerprint != moved.fingerprint)
        let bad = try reader.vehicle(SourceRow(line: 3, cells: ["LSVAU2187N2184307", "", ""])).get()
        #expect(!bad.vinValid && bad.plate == nil)
    }

    /// Fingerprints stored by earlier imports must still match: the typed hashing feeds exactly the bytes
    /// of the fields' texts.
    @Test(arguments: [
        (1.0, Int64(129_900), Int64(-5), Optional(3)), (1.5, 0, 0, nil), (-2.0, Int64.max, Int64.min, 0),
        (0.333, 10, 1_000_000, 120_000),
    ])
    func typedFingerprintsHashTheTextsOfTheFields(
        quantity: Double, amount: Int64, cost: Int64, mileage: Int?
    ) {
        let item = LineImport(
            lineNo: mileage, kind: .labor, code: "GS01", name: "保养工时", quantity: quantity, amountFen: amount,
            costFen: cost)
        #expect(
            item.fingerprint
                == Fingerprint.of([
                    mileage.map(String.init), "labor", "GS01", "保养工时", String(quantity), String(amount), String(cost),
                ]))
        let order = RepairOrderImport(
            line: 2, orderNo: "RO1", openedOn: LocalDate(year: 2024, month: 3, day: 5), closedOn: nil,
            mileageIn: mileage, type: .warranty, customerNo: "KH1", vin: nil, advisorName: "陈静", laborFen: amount,
            partsFen: nil, totalFen: cost, costFen: 0, internalComeback: true, externalComeback: false, item: item)
        #expect(
            order.fingerprint
                == Fingerprint.of([
                    "RO1", "2024-03-05", nil, mileage.map(String.init), "warranty", "KH1", nil, "陈静", String(amount),
                    nil, String(cost), "0", "1", "0",
                ]))
    }
}
