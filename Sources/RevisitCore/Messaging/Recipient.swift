import Foundation

/// A customer as a message sees them: how to address them, where to reach them, what they agreed to.
public struct Recipient: Sendable, Equatable {
    public var customerId: Int64
    public var name: String
    public var gender: Gender
    public var type: CustomerType
    public var mobile: String?
    public var marketingConsent: Bool
    public var serviceConsent: Bool
    public var plate: String
    public var vin: String
    public var vehicleModel: String
    public var advisorName: String

    public init(
        customerId: Int64, name: String, gender: Gender, type: CustomerType, mobile: String?,
        marketingConsent: Bool, serviceConsent: Bool, plate: String, vin: String, vehicleModel: String,
        advisorName: String
    ) {
        self.customerId = customerId
        self.name = name
        self.gender = gender
        self.type = type
        self.mobile = mobile
        self.marketingConsent = marketingConsent
        self.serviceConsent = serviceConsent
        self.plate = plate
        self.vin = vin
        self.vehicleModel = vehicleModel
        self.advisorName = advisorName
    }

    /// 先生 / 女士 for people of known gender; companies and the unknown get nothing, not a wrong title.
    public func title(_ language: Language) -> String {
        guard type == .individual else { return "" }
        switch (gender, language) {
        case (.male, .zhCN): return "先生"
        case (.female, .zhCN): return "女士"
        case (.male, .en): return "Mr."
        case (.female, .en): return "Ms."
        default: return ""
        }
    }

    /// The template values this customer and store give; the caller adds what the occasion knows (a due
    /// date, an appointment time, a reminder's reason).
    public func values(storeName: String, storePhone: String, language: Language) -> TemplateValues {
        [
            .customerName: name, .customerTitle: title(language), .plate: plate, .vin: vin,
            .vehicleModel: vehicleModel, .storeName: storeName, .storePhone: storePhone, .advisorName: advisorName,
        ]
    }
}
