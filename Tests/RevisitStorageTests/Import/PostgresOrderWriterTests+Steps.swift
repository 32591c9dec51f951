import Foundation
import RevisitCore

/// Files (imported in batches of 3, so orders span batches) and the changes made between them. They
/// cover awkward text, lines before their orders, an order's disagreeing rows, repeated line numbers,
/// merged customers, mapped and unknown advisors, mileage, re-imports, and updates with blanks.
extension PostgresOrderWriterTests {
    enum Step {
        case file(ImportKind, String)
        case sql(String)
    }

    static let storeA = "(SELECT id FROM stores WHERE code = 'A01')"

    static let ordersHeader =
        "工单号,行号,开单日期,出厂日期,行驶里程,工单类型,客户号,VIN,服务顾问,工时费,材料费,总金额,项目类型,项目编码,项目名称,数量,金额,成本\n"

    static let orders =
        ordersHeader + """
            RO1,1,2024-03-05,2024-03-05,41200,定保,KH001,LSVAU2187N2184306,advisor-a 名,,,,工时,L01,更换机油,1,120,50
            RO1,2,2024-03-05,2024-03-05,41200,定保,KH001,LSVAU2187N2184306,advisor-a 名,,,,配件,P01,"机油\t5W-30",4,"1,299",800
            RO1,2,2024-03-05,2024-03-05,41200,定保,KH001,LSVAU2187N2184306,advisor-a 名,,,,配件,P01,机油(改),4,1300,800
            RO2,1,2024-04-01,,52000,事故,KH004,LFV2A21K2G4011112,小周,500,300,900,工时,L09,钣金,1,500,
            RO2,2,2024-04-01,,52000,一般维修,KH002,LFV2A21K2G4011112,陌生人,,,,配件,P09,"漆 ""珍珠白""\",1,300,
            RO3,3,2024-05-05,2024-05-06,60000,一般维修,KH999,LSVAU2187N2184306,,800,,,配件,P10,雨刮,1,80,
            RO3,1,2024-05-05,2024-05-06,60000,一般维修,KH999,LSVAU2187N2184306,,800,,,工时,L\\01,"四轮定位\t(含\\调整)",1,350,
            RO5,1,2024-02-01,,30000,首保,KH002,LFV2A21K3G4011112,,,,,工时,L01,首保检查,1,0,
            RO6,1,2024-06-01,2024-06-02,,,,,,,,,配件,,"中文，全角；符号！\\N",1,1,
            RO1,4,2024-03-05,2024-03-05,41200,定保,KH001,LSVAU2187N2184306,小周,,,,配件,P03,机滤,1,45,20
            RO7,1,2024-07-01,2024-07-01,70000,保养,,LSVAU2187N2184306,,,,,工时,L01,保养,1,100,
            RO6,2,2024-06-01,2024-06-02,,,,,,,,,配件,,"多行
            备注",2,3,

            """

    static let waitingLines = """
        工单号,行号,项目类型,项目编码,项目名称,数量,金额
        RO3,1,工时,L\\01,"四轮定位\t(含\\调整)",1,300
        RO3,2,配件,,"刹车片 ""原厂""
        第二行",2,"1,200"
        RO3,2,配件,,"刹车片 ""原厂""
        第二行",2,"1,200"
        RO9,1,配件,P9,\\N,1,10

        """

    static let steps: [Step] = [
        .file(.customers, "客户号,姓名,联系电话\nKH001,王伟,13812345678\nKH002,李娜,13912345678\nKH004,王伟旧档,13812345678\n"),
        .file(
            .vehicles,
            "VIN,车牌,客户号\nLSVAU2187N2184306,京A12345,KH001\nLFV2A21K2G4011112,京B54321,KH002\nLFV2A21K3G4011112,京C11111,KH004\n"
        ),
        .sql(
            """
            UPDATE customers SET merged_into_id = (SELECT id FROM customers WHERE customer_no = 'KH001')
            WHERE customer_no = 'KH004'
            """),
        .sql(
            """
            INSERT INTO advisor_aliases (store_id, name, user_id)
            VALUES (\(storeA), '小周', (SELECT id FROM users WHERE login = 'advisor-a'))
            """),
        .file(.lines, waitingLines),
        .file(.lines, waitingLines),
        .file(.lines, "工单号,行号,项目类型,项目编码,项目名称,数量,金额\nRO3,1,工时,L\\01,\"四轮定位\t(含\\调整)\",1,350\n"),
        .file(.repairOrders, orders),
        .file(.repairOrders, orders),
        .file(
            .repairOrders,
            ordersHeader + """
                RO1,1,2024-03-05,,,,,,,,,,工时,L01,更换机油,1,150,50
                RO1,5,2024-03-05,,,,,,,,,,配件,P02,滤芯,1,60,
                RO2,1,2024-04-01,2024-04-03,,,KH002,,,,,,工时,L09,钣金,1,500,
                RO8,1,2024-08-01,,,,,LFV2A21K2G4011112,小周,,,,工时,,洗车,1,0,

                """),
        .file(.repairOrders, "工单号,开单日期,服务顾问,外返\nRO1,2024-03-05,小周,是\nRO9,2024-09-09,陌生人,\n"),
        .file(
            .lines,
            """
            工单号,行号,项目类型,项目名称,金额
            RO2,2,配件,"漆 ""珍珠白""\",999
            RO2,3,配件,新配件,10
            RO10,1,配件,\\N,5

            """),
    ]
}
