import Foundation

/// What the rules read about one vehicle, as storage gathers it in one pass.
public struct VehicleFacts: Sendable, Equatable {
    public var vehicleId: Int64
    /// The current owner, who receives the reminder.
    public var customerId: Int64?
    public var brand: String
    public var deliveryDate: LocalDate?
    public var insuranceExpiry: LocalDate?
    public var inspectionDue: LocalDate?
    public var warrantyEndDate: LocalDate?
    /// Maintenance orders (首保, 二保, 定保) on file, and the latest of them.
    public var maintenanceVisits: Int
    public var lastMaintenance: LocalDate?
    public var lastMaintenanceKm: Int?
    /// Odometer readings of the latest orders and the vehicle record, any order.
    public var readings: [MileageReading]

    public init(
        vehicleId: Int64, customerId: Int64?, brand: String = "", deliveryDate: LocalDate? = nil,
        insuranceExpiry: LocalDate? = nil, inspectionDue: LocalDate? = nil, warrantyEndDate: LocalDate? = nil,
        maintenanceVisits: Int = 0, lastMaintenance: LocalDate? = nil, lastMaintenanceKm: Int? = nil,
        readings: [MileageReading] = []
    ) {
        self.vehicleId = vehicleId
        self.customerId = customerId
        self.brand = brand
        self.deliveryDate = deliveryDate
        self.insuranceExpiry = insuranceExpiry
        self.inspectionDue = inspectionDue
        self.warrantyEndDate = warrantyEndDate
        self.maintenanceVisits = maintenanceVisits
        self.lastMaintenance = lastMaintenance
        self.lastMaintenanceKm = lastMaintenanceKm
        self.readings = readings
    }
}

/// What the rules read about one customer.
public struct CustomerFacts: Sendable, Equatable {
    public var customerId: Int64
    public var birthday: LocalDate?
    public var licenceReviewDate: LocalDate?
    /// From the store's last segmentation run; nil before one.
    public var churnStage: ChurnStage?
    public var lastVisit: LocalDate?

    public init(
        customerId: Int64, birthday: LocalDate? = nil, licenceReviewDate: LocalDate? = nil,
        churnStage: ChurnStage? = nil, lastVisit: LocalDate? = nil
    ) {
        self.customerId = customerId
        self.birthday = birthday
        self.licenceReviewDate = licenceReviewDate
        self.churnStage = churnStage
        self.lastVisit = lastVisit
    }
}
