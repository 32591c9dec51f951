import Foundation

/// What a DMS file holds. A repair-order file may also carry its lines flattened, one line per row.
public enum ImportKind: String, Sendable, CaseIterable, Codable {
    case customers
    case vehicles
    case repairOrders = "repair-orders"
    case lines

    /// The fields a file of this kind can map, in the order the mapping preview lists them.
    public var fields: [ImportField] {
        switch self {
        case .customers:
            [
                .customerNo, .name, .customerType, .gender, .mobile, .phone, .address, .region, .birthday,
                .sourceChannel, .licenceReviewDate, .consentSMS, .consentService,
            ]
        case .vehicles:
            [
                .vin, .plate, .customerNo, .brand, .model, .trim, .colour, .deliveryDate, .boughtHere, .mileage,
                .mileageReadOn, .insuranceCompany, .insuranceExpiry, .inspectionDue, .warrantyEndDate,
                .warrantyEndKm,
            ]
        case .repairOrders, .lines:
            [
                .orderNo, .openedOn, .closedOn, .mileageIn, .orderType, .customerNo, .vin, .advisor, .laborAmount,
                .partsAmount, .totalAmount, .costAmount, .internalComeback, .externalComeback, .lineNo, .itemKind,
                .itemCode, .itemName, .quantity, .lineAmount, .lineCost,
            ]
        }
    }

    /// Without these a file is refused whole.
    public var required: [ImportField] {
        switch self {
        case .customers: [.customerNo, .name]
        case .vehicles: [.vin]
        case .repairOrders: [.orderNo, .openedOn]
        case .lines: [.orderNo, .itemName]
        }
    }
}

/// A column Revisit understands, with the header names DMS exports use for it.
public enum ImportField: String, Sendable, CaseIterable, Codable {
    case customerNo, name, customerType, gender, mobile, phone, address, region, birthday, sourceChannel
    case licenceReviewDate, consentSMS, consentService
    case vin, plate, brand, model, trim, colour, deliveryDate, boughtHere, mileage, mileageReadOn
    case insuranceCompany, insuranceExpiry, inspectionDue, warrantyEndDate, warrantyEndKm
    case orderNo, openedOn, closedOn, mileageIn, orderType, advisor, laborAmount, partsAmount, totalAmount
    case costAmount, internalComeback, externalComeback
    case lineNo, itemKind, itemCode, itemName, quantity, lineAmount, lineCost

    public var labelKey: String { "import.field.\(rawValue)" }

    /// The case's place in `allCases`: column look-ups index an array with it (every cell of every row is
    /// found through one, which a scan of the mapped fields made a search per cell).
    public var ordinal: Int {
        switch self {
        case .customerNo: 0
        case .name: 1
        case .customerType: 2
        case .gender: 3
        case .mobile: 4
        case .phone: 5
        case .address: 6
        case .region: 7
        case .birthday: 8
        case .sourceChannel: 9
        case .licenceReviewDate: 10
        case .consentSMS: 11
        case .consentService: 12
        case .vin: 13
        case .plate: 14
        case .brand: 15
        case .model: 16
        case .trim: 17
        case .colour: 18
        case .deliveryDate: 19
        case .boughtHere: 20
        case .mileage: 21
        case .mileageReadOn: 22
        case .insuranceCompany: 23
        case .insuranceExpiry: 24
        case .inspectionDue: 25
        case .warrantyEndDate: 26
        case .warrantyEndKm: 27
        case .orderNo: 28
        case .openedOn: 29
        case .closedOn: 30
        case .mileageIn: 31
        case .orderType: 32
        case .advisor: 33
        case .laborAmount: 34
        case .partsAmount: 35
        case .totalAmount: 36
        case .costAmount: 37
        case .internalComeback: 38
        case .externalComeback: 39
        case .lineNo: 40
        case .itemKind: 41
        case .itemCode: 42
        case .itemName: 43
        case .quantity: 44
        case .lineAmount: 45
        case .lineCost: 46
        }
    }

    /// Header names, compared after `ImportField.normalizeHeader`. The first is the one exports use most.
    public var synonyms: [String] {
        switch self {
        case .customerNo:
            ["客户编号", "客户号", "客户代码", "客户编码", "客户id", "车主编号", "customerno", "customernumber", "customerid", "custno"]
        case .name: ["姓名", "客户名称", "客户姓名", "客户名", "车主", "车主姓名", "车主名称", "名称", "name", "customername"]
        case .customerType: ["客户类型", "客户性质", "客户类别", "customertype"]
        case .gender: ["性别", "gender", "sex"]
        case .mobile:
            ["手机", "手机号", "手机号码", "移动电话", "联系电话", "电话", "联系方式", "mobile", "mobilephone", "phone", "telephone", "tel"]
        case .phone: ["固定电话", "固话", "座机", "办公电话", "家庭电话", "备用电话", "电话2", "landline", "officephone", "phone2"]
        case .address: ["地址", "联系地址", "住址", "通讯地址", "家庭住址", "address"]
        case .region: ["地区", "区域", "省市", "城市", "所在地区", "所在城市", "region", "city"]
        case .birthday: ["生日", "出生日期", "birthday", "dateofbirth", "birthdate", "dob"]
        case .sourceChannel: ["客户来源", "来源", "来源渠道", "source", "channel", "sourcechannel"]
        case .licenceReviewDate: ["驾照审验日期", "驾驶证审验日期", "驾照到期日", "驾驶证到期日", "licencereviewdate", "licensereviewdate"]
        case .consentSMS: ["接受短信", "同意短信", "短信营销", "允许短信", "smsconsent", "consentsms"]
        case .consentService:
            ["服务短信", "接收服务短信", "同意服务短信", "服务通知", "服务提醒", "servicesms", "consentservice", "serviceconsent"]
        case .vin: ["vin", "车架号", "底盘号", "车辆识别代号", "车辆识别码", "vin码", "车架号码", "frameno", "chassisno"]
        case .plate: ["车牌", "车牌号", "车牌号码", "牌照号", "号牌号码", "plate", "plateno", "licenseplate", "registration"]
        case .brand: ["品牌", "厂牌", "brand", "make"]
        case .model: ["车型", "车系", "型号", "车型名称", "model", "series"]
        case .trim: ["配置", "款型", "车型配置", "车款", "trim", "version"]
        case .colour: ["颜色", "车身颜色", "colour", "color"]
        case .deliveryDate: ["购车日期", "交车日期", "销售日期", "开票日期", "deliverydate", "purchasedate", "saledate"]
        case .boughtHere: ["本店购车", "是否本店购车", "本店销售", "boughthere"]
        case .mileage: ["当前里程", "最新里程", "表显里程", "里程", "行驶里程", "mileage", "odometer"]
        case .mileageReadOn: ["里程日期", "里程读取日期", "mileagedate", "mileagereadon"]
        case .insuranceCompany: ["保险公司", "承保公司", "insurancecompany", "insurer"]
        case .insuranceExpiry: ["保险到期日", "保险到期", "保险到期日期", "商业险到期日", "交强险到期日", "insuranceexpiry", "insuranceend"]
        case .inspectionDue: ["年检日期", "年审日期", "年检到期", "年检到期日", "下次年检", "inspectiondue", "annualinspection"]
        case .warrantyEndDate: ["保修到期日", "质保到期", "质保到期日", "保修截止日期", "warrantyend", "warrantyexpiry", "warrantyenddate"]
        case .warrantyEndKm: ["保修里程", "质保里程", "warrantykm", "warrantymileage", "warrantyendkm"]
        case .orderNo:
            ["工单号", "工单编号", "维修单号", "委托书号", "结算单号", "orderno", "rono", "repairorderno", "workorder", "workorderno"]
        case .openedOn:
            ["进厂日期", "开单日期", "接车日期", "进站日期", "进店日期", "进厂时间", "开单时间", "opendate", "opened", "openedon", "datein"]
        case .closedOn:
            ["结算日期", "出厂日期", "完工日期", "结算时间", "出厂时间", "closedate", "closed", "closedon", "dateout", "settlementdate"]
        case .mileageIn: ["进厂里程", "行驶里程", "进站里程", "里程", "mileagein", "mileage", "odometer"]
        case .orderType: ["维修类型", "工单类型", "业务类型", "维修性质", "服务类型", "ordertype", "repairtype", "type"]
        case .advisor: ["服务顾问", "接待员", "服务接待", "接待", "前台接待", "sa", "serviceadvisor", "advisor"]
        case .laborAmount: ["工时费", "工时金额", "工时费用", "labor", "labour", "laboramount"]
        case .partsAmount: ["材料费", "配件费", "零件费", "配件金额", "材料金额", "parts", "partsamount", "material"]
        case .totalAmount: ["总金额", "结算金额", "合计金额", "工单金额", "应收金额", "实收金额", "total", "totalamount"]
        case .costAmount: ["工单成本", "总成本", "ordercost", "totalcost"]
        case .internalComeback: ["内返", "内部返修", "internalcomeback"]
        case .externalComeback: ["外返", "返修", "外部返修", "externalcomeback", "comeback"]
        case .lineNo: ["行号", "序号", "明细行号", "项目序号", "lineno", "line"]
        case .itemKind: ["项目类型", "明细类型", "项目类别", "收费类型", "itemkind", "itemtype", "kind"]
        case .itemCode: ["项目编码", "项目代码", "配件编码", "零件号", "工时代码", "配件号", "itemcode", "code", "partno"]
        case .itemName: ["项目名称", "配件名称", "工时名称", "零件名称", "维修项目", "itemname", "item", "description"]
        case .quantity: ["数量", "qty", "quantity"]
        case .lineAmount: ["金额", "行金额", "明细金额", "小计", "amount", "lineamount"]
        case .lineCost: ["成本", "成本金额", "行成本", "cost", "linecost"]
        }
    }

    /// Header text as compared: case, spaces, underscores, dashes, a trailing colon, a required-mark `*`
    /// and a unit in brackets ("金额(元)") do not matter.
    public static func normalizeHeader(_ header: String) -> String {
        var text = header.lowercased()
        for open in ["(", "（", "["] {
            if let range = text.range(of: open), range.lowerBound != text.startIndex {
                text = String(text[..<range.lowerBound])
            }
        }
        return String(text.filter { !" \t_-*:：.\u{3000}\u{feff}".contains($0) })
    }
}
