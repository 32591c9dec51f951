import Foundation

/// Profile completeness: the share of key fields filled, 0–100. The key fields are what a service
/// advisor needs to reach and serve the customer: a valid phone, gender, birthday, address, region, an
/// owning SA, at least one vehicle, and the consent questions asked.
public enum Completeness {
    public static let keyFields = [
        "name", "phone", "gender", "birthday", "address", "region", "owner", "vehicle", "source",
    ]

    public static func score(_ customer: Customer, vehicleCount: Int) -> Int {
        let filled = missing(customer, vehicleCount: vehicleCount)
        return Int((Double(keyFields.count - filled.count) / Double(keyFields.count) * 100).rounded())
    }

    /// The key fields still empty, by name (for the data-quality page and the 360 page hint).
    public static func missing(_ customer: Customer, vehicleCount: Int) -> [String] {
        var missing: [String] = []
        if customer.name.isEmpty { missing.append("name") }
        if !(customer.primaryPhone?.number.isValid ?? false) { missing.append("phone") }
        // Companies and government units have no gender or birthday to ask for.
        if customer.type == .individual {
            if customer.gender == .unknown { missing.append("gender") }
            if customer.birthday == nil { missing.append("birthday") }
        }
        if customer.address.isEmpty { missing.append("address") }
        if customer.region.isEmpty { missing.append("region") }
        if customer.ownerId == nil && customer.ownerTeamId == nil { missing.append("owner") }
        if vehicleCount == 0 { missing.append("vehicle") }
        if customer.sourceChannel.isEmpty { missing.append("source") }
        return missing
    }
}
