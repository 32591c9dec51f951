import Foundation

/// What a screen pop shows for one customer matching a caller's number: the record, its store, the
/// vehicles it owns and its newest interactions.
public struct ScreenPop: Sendable {
    public var customer: Customer
    public var storeCode: String
    public var vehicles: [Vehicle]
    public var interactions: [Interaction]

    public init(customer: Customer, storeCode: String, vehicles: [Vehicle], interactions: [Interaction]) {
        self.customer = customer
        self.storeCode = storeCode
        self.vehicles = vehicles
        self.interactions = interactions
    }

    /// How many interactions a screen pop carries.
    public static let interactionCount = 5
    /// At most this many customers answer one number (a shared company switchboard, say).
    public static let maxMatches = 20
}
