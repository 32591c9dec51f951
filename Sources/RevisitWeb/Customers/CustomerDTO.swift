import Foundation
import RevisitCore

/// The customer as the API shows it. Phone numbers are masked per role.
///
/// Dates are written out as `YYYY-MM-DD` strings up front: encoding them as their own type cost the
/// screen pop a fifth of its JSON time.
struct CustomerDTO: Encodable {
    struct Phone: Encodable {
        let number: String
        let kind: String
        let primary: Bool
        let valid: Bool
    }

    struct Contact: Encodable {
        let name: String
        let title: String
        let phone: String?
    }

    struct Alert: Encodable {
        let reason: String
        let setAt: Date
        let setBy: String
    }

    let id: Int64
    let customerNo: String?
    let name: String
    let type: String
    let gender: String
    let birthday: String?
    let phones: [Phone]
    let address: String
    let region: String
    let sourceChannel: String
    let consentSms: Bool
    let consentCallback: Bool
    let consentService: Bool
    let tags: [String]
    let notes: String
    let licenceReviewDate: String?
    let ownerId: Int64?
    let ownerTeamId: Int64?
    let storeId: Int64
    let storeCode: String
    let contacts: [Contact]
    let alert: Alert?
    let completeness: Int
    let mergedIntoId: Int64?
    let version: Int64
    let segments: SegmentsField

    init(
        _ customer: Customer, storeCode: String, completeness: Int, masking: PhoneMasking,
        segments: CustomerSegments? = nil
    ) {
        self.segments = SegmentsField(segments)
        id = customer.id
        customerNo = customer.customerNo
        name = customer.name
        type = customer.type.rawValue
        gender = customer.gender.rawValue
        birthday = customer.birthday?.description
        phones = customer.phones.map {
            Phone(
                number: masking.text($0.number), kind: $0.kind.rawValue, primary: $0.primary, valid: $0.number.isValid)
        }
        address = customer.address
        region = customer.region
        sourceChannel = customer.sourceChannel
        consentSms = customer.consentMarketingSMS
        consentCallback = customer.consentCallback
        consentService = customer.consentServiceSMS
        tags = customer.tags
        notes = customer.notes
        licenceReviewDate = customer.licenceReviewDate?.description
        ownerId = customer.ownerId
        ownerTeamId = customer.ownerTeamId
        storeId = customer.storeId
        self.storeCode = storeCode
        contacts = customer.contacts.map { Contact(name: $0.name, title: $0.title, phone: $0.phone.map(masking.text)) }
        alert = customer.alert.map { Alert(reason: $0.reason, setAt: $0.setAt, setBy: $0.setBy) }
        self.completeness = completeness
        mergedIntoId = customer.mergedIntoId
        version = customer.version
    }
}

/// A list row of the API.
struct CustomerListItemDTO: Encodable {
    let id: Int64
    let customerNo: String?
    let name: String
    let type: String
    let phones: [CustomerDTO.Phone]
    let ownerId: Int64?
    let ownerTeamId: Int64?
    let storeId: Int64
    let storeCode: String
    let alert: String?
    let completeness: Int
    let tags: [String]
    let segments: SegmentsField

    init(_ summary: CustomerSummary, storeCode: String, masking: PhoneMasking, segments: CustomerSegments?) {
        self.segments = SegmentsField(segments)
        id = summary.id
        customerNo = summary.customerNo
        name = summary.name
        type = summary.type.rawValue
        phones =
            summary.primaryPhone.map {
                [
                    CustomerDTO.Phone(
                        number: masking.text($0), kind: PhoneKind.mobile.rawValue, primary: true, valid: $0.isValid)
                ]
            } ?? []
        ownerId = summary.ownerId
        ownerTeamId = summary.ownerTeamId
        storeId = summary.storeId
        self.storeCode = storeCode
        alert = summary.alertReason
        completeness = summary.completeness
        tags = summary.tags
    }
}

/// `{"items":[…],"nextCursor":…}`; the cursor is written as null on the last page rather than left out.
struct PageDTO<Item: Encodable>: Encodable {
    let items: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey { case items, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

struct VehicleDTO: Encodable {
    let id: Int64
    let storeId: Int64
    let vin: String
    let plate: String
    let brand: String
    let model: String
    let trim: String
    let colour: String
    let deliveryDate: String?
    let boughtHere: Bool
    let mileageKm: Int?
    let mileageReadOn: String?
    let insuranceCompany: String
    let insuranceExpiry: String?
    let inspectionDue: String?
    let warrantyEndDate: String?
    let warrantyEndKm: Int?
    let ownerCustomerId: Int64?
    let vinValid: Bool
    let plateValid: Bool
    let version: Int64
    let owners: [VehicleOwnership]?

    init(_ vehicle: Vehicle, owners: [VehicleOwnership]? = nil) {
        id = vehicle.id
        storeId = vehicle.storeId
        vin = vehicle.vin
        plate = vehicle.plate
        brand = vehicle.brand
        model = vehicle.model
        trim = vehicle.trim
        colour = vehicle.colour
        deliveryDate = vehicle.deliveryDate?.description
        boughtHere = vehicle.boughtHere
        mileageKm = vehicle.mileageKm
        mileageReadOn = vehicle.mileageReadOn?.description
        insuranceCompany = vehicle.insuranceCompany
        insuranceExpiry = vehicle.insuranceExpiry?.description
        inspectionDue = vehicle.inspectionDue?.description
        warrantyEndDate = vehicle.warrantyEndDate?.description
        warrantyEndKm = vehicle.warrantyEndKm
        ownerCustomerId = vehicle.ownerCustomerId
        vinValid = vehicle.vinValid
        plateValid = vehicle.plateValid
        version = vehicle.version
        self.owners = owners
    }
}

struct RepairOrderDTO: Encodable {
    let id: Int64
    let storeId: Int64
    let orderNo: String
    let vehicleId: Int64?
    let vin: String?
    let customerId: Int64?
    let customerNo: String?
    let advisorId: Int64?
    let advisorName: String
    let type: String
    let openedOn: String
    let closedOn: String?
    let mileageIn: Int?
    let laborFen: Int64
    let partsFen: Int64
    let totalFen: Int64
    let costFen: Int64
    let grossProfitFen: Int64
    let internalComeback: Bool
    let externalComeback: Bool
    let lines: [RepairOrderLine]

    init(_ order: RepairOrder) {
        id = order.id
        storeId = order.storeId
        orderNo = order.orderNo
        vehicleId = order.vehicleId
        vin = order.vin
        customerId = order.customerId
        customerNo = order.customerNo
        advisorId = order.advisorId
        advisorName = order.advisorName
        type = order.type.rawValue
        openedOn = order.openedOn.description
        closedOn = order.closedOn?.description
        mileageIn = order.mileageIn
        laborFen = order.laborFen
        partsFen = order.partsFen
        totalFen = order.totalFen
        costFen = order.costFen
        grossProfitFen = order.grossProfitFen
        internalComeback = order.internalComeback
        externalComeback = order.externalComeback
        lines = order.lines
    }
}

/// A customer's classes from the last segmentation run, written as `null` before any run (the key is
/// always there, as the API contract has it).
struct SegmentsField: Encodable {
    let segments: CustomerSegments?

    init(_ segments: CustomerSegments?) { self.segments = segments }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(segments)
    }
}
