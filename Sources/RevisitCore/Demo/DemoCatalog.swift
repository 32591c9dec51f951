import Foundation

/// The word lists and tables the demo dealership is made from.
enum DemoCatalog {
    static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    ).map(String.init)
    static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红飞鑫波宇浩凯健俊帆婷雪琳晨阳思佳子轩梓涵欣怡雨泽宏志文博").map(String.init)
    static let companySuffixes = ["商贸有限公司", "物流有限公司", "建设工程有限公司", "科技有限公司", "汽车租赁有限公司", "餐饮管理有限公司"]
    static let governmentUnits = ["市公安局", "区人民政府办公室", "市教育局", "区卫生健康委员会", "市交通运输局"]
    static let streets = ["建国路", "人民路", "解放大道", "中山路", "长安街", "滨江路", "学院路", "科技园路", "朝阳北路", "世纪大道"]
    static let sources = ["展厅到店", "电话咨询", "网络平台", "老客户推荐", "车展活动", "厂家转介"]
    static let insurers = ["中国人保", "平安保险", "太平洋保险", "中华联合", "大地保险"]
    static let colours = ["白", "黑", "银", "灰", "红", "蓝"]

    /// World manufacturer prefixes of Chinese-built cars with the brand and models they make.
    static let makers: [(wmi: String, brand: String, models: [String], weight: Int)] = [
        ("LSV", "大众", ["朗逸", "帕萨特", "途观L", "途岳"], 18), ("LFV", "一汽-大众", ["速腾", "迈腾", "探岳", "宝来"], 16),
        ("LVG", "丰田", ["凯美瑞", "汉兰达", "雷凌"], 10), ("LHG", "本田", ["雅阁", "CR-V", "思域"], 10),
        ("LGB", "日产", ["轩逸", "天籁", "奇骏"], 9), ("LSG", "别克", ["英朗", "君越", "昂科威"], 8),
        ("LBV", "宝马", ["3系", "5系", "X3"], 6), ("LE4", "奔驰", ["C级", "E级", "GLC"], 6),
        ("LGX", "比亚迪", ["秦PLUS", "宋PLUS", "汉"], 10), ("LRW", "特斯拉", ["Model 3", "Model Y"], 4),
        ("LVS", "福特", ["福克斯", "锐界"], 3),
    ]

    /// Store cities: province character for plates, city letter, landline area code, region name.
    static let cities: [(province: Character, letter: Character, areaCode: String, region: String)] = [
        ("京", "A", "010", "北京市"), ("沪", "B", "021", "上海市"), ("粤", "B", "0755", "广东省深圳市"),
        ("浙", "A", "0571", "浙江省杭州市"), ("川", "A", "028", "四川省成都市"), ("苏", "E", "0512", "江苏省苏州市"),
    ]
    static let mobilePrefixes = [
        "130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177", "180",
        "181", "186", "187", "188", "189", "198", "199",
    ]
    static let vinCharacters = Array("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
    static let plateCharacters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
    static let yearCodes = Array("ABCDEFGHJKLMNPRSTVWXY123456789")  // 2010 = A … 2030 = Y, cycling
}
