import Foundation

public struct VehicleQuery: Sendable, Equatable {
    /// A plate, a VIN or the end of either.
    public var q: String
    public var storeId: Int64?
    public var flag: DataFlag?
    public var limit: Int
    public var cursor: String?

    public init(q: String = "", storeId: Int64? = nil, flag: DataFlag? = nil, limit: Int = 50, cursor: String? = nil) {
        self.q = q
        self.storeId = storeId
        self.flag = flag
        self.limit = limit
        self.cursor = cursor
    }
}

public protocol VehicleStore: Sendable {
    func vehicles(_ query: VehicleQuery, scope: Scope) async throws -> Page<Vehicle>
    func vehicle(id: Int64, scope: Scope) async throws -> Vehicle
    func vehicles(ownedBy customerId: Int64, scope: Scope) async throws -> [Vehicle]
    /// A new vehicle; the VIN must be unique in the store.
    func createVehicle(storeId: Int64, _ draft: VehicleDraft, scope: Scope) async throws -> Vehicle
    /// A change of `ownerCustomerId` closes the previous ownership and opens a new one (from today).
    func updateVehicle(
        id: Int64, _ draft: VehicleDraft, expectedVersion: Int64, today: LocalDate, scope: Scope
    )
        async throws -> Vehicle
    func owners(vehicleId: Int64, scope: Scope) async throws -> [VehicleOwnership]
}
