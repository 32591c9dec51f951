import Foundation

/// The words a reminder's message uses when the store has no template of its own for the rule
/// (`reminder.<type>` templates replace these), and the values a reminder adds to the customer's.
public enum ReminderMessages {
    public static func defaultBody(_ type: ReminderType, language: Language) -> String {
        switch language {
        case .zhCN:
            switch type {
            case .maintenance:
                "尊敬的{{customerName}}{{customerTitle}}，您的爱车{{plate}}预计{{dueDate}}前后需要保养，欢迎提前预约。{{storeName}} {{storePhone}}"
            case .firstMaintenance:
                "尊敬的{{customerName}}{{customerTitle}}，您的新车{{plate}}的免费保养将于{{dueDate}}到期，请及时回厂。{{storeName}} {{storePhone}}"
            case .insurance:
                "尊敬的{{customerName}}{{customerTitle}}，您的爱车{{plate}}的保险将于{{dueDate}}到期，续保请联系{{storeName}} {{storePhone}}"
            case .inspection:
                "尊敬的{{customerName}}{{customerTitle}}，您的爱车{{plate}}的年审将于{{dueDate}}到期，{{storeName}}可为您代办。{{storePhone}}"
            case .licence:
                "尊敬的{{customerName}}{{customerTitle}}，您的驾驶证审验日期为{{dueDate}}，请留意办理。{{storeName}}"
            case .warranty:
                "尊敬的{{customerName}}{{customerTitle}}，您的爱车{{plate}}的保修将于{{dueDate}}到期，到期前欢迎回厂免费检查。{{storeName}} {{storePhone}}"
            case .winback:
                "尊敬的{{customerName}}{{customerTitle}}，好久不见，{{storeName}}期待再次为您的爱车{{plate}}服务。{{storePhone}}"
            case .greeting:
                "尊敬的{{customerName}}{{customerTitle}}，{{storeName}}祝您{{occasion}}！"
            }
        case .en:
            switch type {
            case .maintenance:
                "Dear {{customerTitle}} {{customerName}}, your car {{plate}} is due for service around {{dueDate}}. Book with {{storeName}}, {{storePhone}}."
            case .firstMaintenance:
                "Dear {{customerTitle}} {{customerName}}, the free service of your new car {{plate}} is due by {{dueDate}}. {{storeName}}, {{storePhone}}."
            case .insurance:
                "Dear {{customerTitle}} {{customerName}}, the insurance of {{plate}} expires on {{dueDate}}. {{storeName}}, {{storePhone}}."
            case .inspection:
                "Dear {{customerTitle}} {{customerName}}, the annual inspection of {{plate}} is due on {{dueDate}}. {{storeName}}, {{storePhone}}."
            case .licence:
                "Dear {{customerTitle}} {{customerName}}, your driving licence review is due on {{dueDate}}. {{storeName}}."
            case .warranty:
                "Dear {{customerTitle}} {{customerName}}, the warranty of {{plate}} ends on {{dueDate}}. {{storeName}}, {{storePhone}}."
            case .winback:
                "Dear {{customerTitle}} {{customerName}}, we miss you at {{storeName}}. {{storePhone}}."
            case .greeting:
                "Dear {{customerTitle}} {{customerName}}, {{storeName}} wishes you {{occasion}}!"
            }
        }
    }

    /// What a greeting is for, from its reason code and the data behind it.
    public static func occasion(reason: String, args: [String: String], language: Language) -> String {
        switch (reason, language) {
        case ("greeting.birthday", .zhCN): return "生日快乐"
        case ("greeting.birthday", .en): return "a happy birthday"
        case ("greeting.festival", _):
            let festival = args["festival"].flatMap(Festival.init(rawValue:))
            if language == .zhCN { return (festival?.chineseName ?? "节日") + "快乐" }
            return "a happy " + (festival?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "holiday")
        case ("greeting.anniversary", .zhCN): return "购车\(args["years"] ?? "")周年快乐"
        case ("greeting.anniversary", .en): return "a happy \(args["years"] ?? "") years with your car"
        case ("greeting.season", .zhCN): return "换季用车安心，欢迎回厂免费检查"
        default: return language == .zhCN ? "万事如意" : "all the best"
        }
    }
}
