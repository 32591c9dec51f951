import Foundation

/// A vehicle serviced by a store, identified by VIN and plate, with the dates that drive reminders.
public struct Vehicle: Sendable, Equatable {
    public var id: Int64
    public var storeId: Int64
    public var vin: String
    public var plate: String
    public var brand: String
    public var model: String
    public var trim: String
    public var colour: String
    public var deliveryDate: LocalDate?
    /// Sold by this store (false: bought elsewhere or another brand, 外店/外品牌).
    public var boughtHere: Bool
    public var mileageKm: Int?
    public var mileageReadOn: LocalDate?
    public var insuranceCompany: String
    public var insuranceExpiry: LocalDate?
    public var inspectionDue: LocalDate?
    public var warrantyEndDate: LocalDate?
    public var warrantyEndKm: Int?
    public var ownerCustomerId: Int64?
    public var version: Int64

    public init(
        id: Int64, storeId: Int64, vin: String, plate: String, brand: String, model: String, trim: String,
        colour: String, deliveryDate: LocalDate?, boughtHere: Bool, mileageKm: Int?, mileageReadOn: LocalDate?,
        insuranceCompany: String, insuranceExpiry: LocalDate?, inspectionDue: LocalDate?, warrantyEndDate: LocalDate?,
        warrantyEndKm: Int?, ownerCustomerId: Int64?, version: Int64
    ) {
        self.id = id
        self.storeId = storeId
        self.vin = vin
        self.plate = plate
        self.brand = brand
        self.model = model
        self.trim = trim
        self.colour = colour
        self.deliveryDate = deliveryDate
        self.boughtHere = boughtHere
        self.mileageKm = mileageKm
        self.mileageReadOn = mileageReadOn
        self.insuranceCompany = insuranceCompany
        self.insuranceExpiry = insuranceExpiry
        self.inspectionDue = inspectionDue
        self.warrantyEndDate = warrantyEndDate
        self.warrantyEndKm = warrantyEndKm
        self.ownerCustomerId = ownerCustomerId
        self.version = version
    }

    public var vinValid: Bool { VIN.problem(vin) == nil }
    public var plateValid: Bool { plate.isEmpty || Plate.isValid(plate) }

    /// In warranty on `today` at the last known mileage (三包内).
    public func inWarranty(on today: LocalDate) -> Bool {
        guard let end = warrantyEndDate, today <= end else { return false }
        if let limit = warrantyEndKm, let mileage = mileageKm, mileage > limit { return false }
        return true
    }
}

/// One period of ownership; the current owner has no end date.
public struct VehicleOwnership: Sendable, Equatable, Codable {
    public var customerId: Int64
    public var customerName: String
    public var from: LocalDate?
    public var until: LocalDate?

    public init(customerId: Int64, customerName: String, from: LocalDate?, until: LocalDate?) {
        self.customerId = customerId
        self.customerName = customerName
        self.from = from
        self.until = until
    }
}

public struct VehicleDraft: Sendable, Equatable {
    public var vin: String
    public var plate: String
    public var brand: String
    public var model: String
    public var trim: String
    public var colour: String
    public var deliveryDate: LocalDate?
    public var boughtHere: Bool
    public var mileageKm: Int?
    public var mileageReadOn: LocalDate?
    public var insuranceCompany: String
    public var insuranceExpiry: LocalDate?
    public var inspectionDue: LocalDate?
    public var warrantyEndDate: LocalDate?
    public var warrantyEndKm: Int?
    public var ownerCustomerId: Int64?

    public init(
        vin: String, plate: String = "", brand: String = "", model: String = "", trim: String = "", colour: String = "",
        deliveryDate: LocalDate? = nil, boughtHere: Bool = true, mileageKm: Int? = nil, mileageReadOn: LocalDate? = nil,
        insuranceCompany: String = "", insuranceExpiry: LocalDate? = nil, inspectionDue: LocalDate? = nil,
        warrantyEndDate: LocalDate? = nil, warrantyEndKm: Int? = nil, ownerCustomerId: Int64? = nil
    ) {
        self.vin = vin
        self.plate = plate
        self.brand = brand
        self.model = model
        self.trim = trim
        self.colour = colour
        self.deliveryDate = deliveryDate
        self.boughtHere = boughtHere
        self.mileageKm = mileageKm
        self.mileageReadOn = mileageReadOn
        self.insuranceCompany = insuranceCompany
        self.insuranceExpiry = insuranceExpiry
        self.inspectionDue = inspectionDue
        self.warrantyEndDate = warrantyEndDate
        self.warrantyEndKm = warrantyEndKm
        self.ownerCustomerId = ownerCustomerId
    }

    public init(_ vehicle: Vehicle) {
        self.init(
            vin: vehicle.vin, plate: vehicle.plate, brand: vehicle.brand, model: vehicle.model, trim: vehicle.trim,
            colour: vehicle.colour, deliveryDate: vehicle.deliveryDate, boughtHere: vehicle.boughtHere,
            mileageKm: vehicle.mileageKm, mileageReadOn: vehicle.mileageReadOn,
            insuranceCompany: vehicle.insuranceCompany, insuranceExpiry: vehicle.insuranceExpiry,
            inspectionDue: vehicle.inspectionDue, warrantyEndDate: vehicle.warrantyEndDate,
            warrantyEndKm: vehicle.warrantyEndKm, ownerCustomerId: vehicle.ownerCustomerId)
    }

    /// Manual entry: the VIN must be valid (the message names the expected check digit) and a plate, when
    /// given, must have a Chinese plate's shape.
    public func validated() throws(RevisitError) -> VehicleDraft {
        var draft = try normalized()
        draft.vin = try VIN.validate(draft.vin)
        if !draft.plate.isEmpty, !Plate.isValid(draft.plate) {
            throw RevisitError(.validation, code: .invalidPlate, field: "plate", args: ["value": draft.plate])
        }
        return draft
    }

    /// Imports keep imperfect VINs and plates (flagged on the data-quality page) but still trim and bound.
    public func normalized() throws(RevisitError) -> VehicleDraft {
        var draft = self
        draft.vin = VIN.normalize(vin)
        if draft.vin.isEmpty { throw RevisitError(.validation, code: .required, field: "vin") }
        if draft.vin.count > 30 { throw RevisitError(.validation, code: .tooLong, field: "vin", args: ["max": "30"]) }
        draft.plate = Plate.normalize(plate)
        if draft.plate.count > 12 {
            throw RevisitError(.validation, code: .tooLong, field: "plate", args: ["max": "12"])
        }
        draft.brand = try FieldRules.text(brand, field: "brand", max: 40, required: false)
        draft.model = try FieldRules.text(model, field: "model", max: 60, required: false)
        draft.trim = try FieldRules.text(trim, field: "trim", max: 60, required: false)
        draft.colour = try FieldRules.text(colour, field: "colour", max: 20, required: false)
        draft.insuranceCompany = try FieldRules.text(
            insuranceCompany, field: "insuranceCompany", max: 60, required: false)
        for (value, field) in [(mileageKm, "mileageKm"), (warrantyEndKm, "warrantyEndKm")] {
            if let value, value < 0 || value > 3_000_000 {
                throw RevisitError(.validation, code: .invalidValue, field: field, args: ["value": String(value)])
            }
        }
        return draft
    }
}
