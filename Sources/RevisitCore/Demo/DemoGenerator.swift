import Foundation

/// What the demo command asks for.
public struct DemoSettings: Sendable {
    public var stores: Int
    public var customers: Int
    public var years: Int
    public var seed: UInt64
    public var today: LocalDate

    public init(stores: Int = 3, customers: Int = 20_000, years: Int = 5, seed: UInt64 = 42, today: LocalDate) {
        self.stores = stores
        self.customers = customers
        self.years = years
        self.seed = seed
        self.today = today
    }
}

/// One store of the demo dealership as the generator needs it.
public struct DemoStore: Sendable {
    public let id: Int64
    public let code: String
    public let cityIndex: Int
    public let advisors: [(id: Int64, name: String)]

    public init(id: Int64, code: String, cityIndex: Int, advisors: [(id: Int64, name: String)]) {
        self.id = id
        self.code = code
        self.cityIndex = cityIndex
        self.advisors = advisors
    }
}

/// A slice of generated records, written before the next is made so memory stays flat.
public struct DemoChunk: Sendable {
    public var customers: [Customer] = []
    public var vehicles: [Vehicle] = []
    public var orders: [RepairOrder] = []

    public init() {}
}

/// A realistic synthetic dealership: Chinese names and numbers, VINs with valid check digits on real
/// Chinese WMI prefixes, per-vehicle driving habits, maintenance at realistic intervals, repairs and
/// accidents, a long-tailed revenue distribution, 20–40 % yearly churn and ~3 % dirty data.
/// The same settings and seed always give the same records, ids included.
public struct DemoGenerator: Sendable {
    let settings: DemoSettings
    let stores: [DemoStore]
    var random: SeededRandom
    var produced = 0
    var nextCustomerId: Int64
    var nextVehicleId: Int64
    var nextOrderId: Int64
    /// The last customer made in each store, to copy for the ~1 % entered twice.
    var previous: [Int64: (name: String, phone: String)] = [:]
    let now: Date

    public init(
        settings: DemoSettings, stores: [DemoStore], firstIds: (customer: Int64, vehicle: Int64, order: Int64),
        now: Date
    ) {
        self.settings = settings
        self.stores = stores
        self.random = SeededRandom(seed: settings.seed)
        self.nextCustomerId = firstIds.customer
        self.nextVehicleId = firstIds.vehicle
        self.nextOrderId = firstIds.order
        self.now = now
    }

    public var remaining: Int { settings.customers - produced }

    public mutating func nextChunk(size: Int) -> DemoChunk? {
        guard remaining > 0 else { return nil }
        var chunk = DemoChunk()
        for _ in 0..<min(size, remaining) {
            let store = stores[produced % stores.count]
            produced += 1
            makeCustomer(store: store, into: &chunk)
        }
        return chunk
    }

    mutating func makeCustomer(store: DemoStore, into chunk: inout DemoChunk) {
        let city = DemoCatalog.cities[store.cityIndex % DemoCatalog.cities.count]
        let id = nextCustomerId
        nextCustomerId += 1
        let roll = random.unit()
        let type: CustomerType = roll < 0.85 ? .individual : (roll < 0.97 ? .company : .government)
        var name: String
        switch type {
        case .individual:
            name = random.pick(DemoCatalog.surnames) + random.pick(DemoCatalog.givenNames)
            if random.chance(0.6) { name += random.pick(DemoCatalog.givenNames) }
        case .company:
            name =
                String(city.region.suffix(3).prefix(2)) + random.pick(DemoCatalog.givenNames)
                + random.pick(DemoCatalog.givenNames)
                + random.pick(DemoCatalog.companySuffixes)
        case .government:
            name = String(city.region.suffix(3).prefix(2)) + random.pick(DemoCatalog.governmentUnits)
        }
        var phones = [CustomerPhone(number: PhoneNumber(makePhone(city: city)), kind: .mobile, primary: true)]
        // About 1 % are the same person entered twice: same phone, same name.
        if let previous = previous[store.id], random.chance(0.01) {
            name = previous.name
            phones[0] = CustomerPhone(number: PhoneNumber(previous.phone), kind: .mobile, primary: true)
        }
        if random.chance(0.3) {
            let kind: PhoneKind = type == .individual ? .home : .office
            phones.append(CustomerPhone(number: PhoneNumber(city.areaCode + digits(8)), kind: kind, primary: false))
        }
        previous[store.id] = (name, phones[0].number.digits)
        let owner =
            store.advisors.isEmpty || random.chance(0.1) ? nil : store.advisors[Int(id % Int64(store.advisors.count))]
        var tags: [String] = []
        if random.chance(0.05) { tags.append("车友会") }
        if type != .individual { tags.append("单位车队") }
        let created = settings.today.addingMonths(-random.int(1...(settings.years * 12 + 36)))
        var customer = Customer(
            id: id, storeId: store.id, customerNo: "\(store.code)-\(String(format: "%07lld", id))", type: type,
            name: name,
            gender: type == .individual ? (random.chance(0.62) ? .male : .female) : .unknown,
            birthday: type == .individual && random.chance(0.7)
                ? LocalDate(year: random.int(1960...2002), month: random.int(1...12), day: random.int(1...28)) : nil,
            phones: phones,
            address: random.chance(0.8) ? "\(random.pick(DemoCatalog.streets))\(random.int(1...999))号" : "",
            region: random.chance(0.9) ? city.region : "",
            sourceChannel: random.chance(0.75) ? random.pick(DemoCatalog.sources) : "",
            consentMarketingSMS: random.chance(0.6), consentCallback: random.chance(0.9), tags: tags, notes: "",
            licenceReviewDate: type == .individual && random.chance(0.4)
                ? settings.today.addingMonths(random.int(1...72)) : nil,
            ownerId: owner?.id, contacts: [],
            alert: random.chance(0.005) ? CustomerAlert(reason: "投诉未结：维修质量", setAt: now, setBy: "demo") : nil,
            mergedIntoId: nil, version: 1, createdAt: date(created), updatedAt: date(created))
        if type != .individual {
            customer.contacts = [
                CustomerContact(
                    name: random.pick(DemoCatalog.surnames) + random.pick(DemoCatalog.givenNames), title: "车队负责人",
                    phone: PhoneNumber(makeMobile()))
            ]
        }
        chunk.customers.append(customer)
        let vehicleCount =
            type == .individual ? (random.chance(0.85) ? 1 : (random.chance(0.87) ? 2 : 3)) : random.int(1...6)
        for _ in 0..<vehicleCount {
            makeVehicle(for: customer, store: store, city: city, owner: owner, into: &chunk)
        }
    }

    mutating func makeVehicle(
        for customer: Customer, store: DemoStore,
        city: (province: Character, letter: Character, areaCode: String, region: String),
        owner: (id: Int64, name: String)?, into chunk: inout DemoChunk
    ) {
        let maker = weightedMaker()
        let delivery = settings.today.addingMonths(-random.int(1...((settings.years + 4) * 12))).addingDays(
            -random.int(0...27))
        var vin = makeVIN(wmi: maker.wmi, year: delivery.year)
        if random.chance(0.01) {
            // A mistyped check digit, as DMS data sometimes has.
            var characters = Array(vin)
            characters[8] = characters[8] == "1" ? "2" : "1"
            vin = String(characters)
        }
        let newEnergy = maker.brand == "比亚迪" || maker.brand == "特斯拉" || random.chance(0.04)
        var plate =
            String(city.province) + String(city.letter)
            + (newEnergy
                ? "D" + String((0..<5).map { _ in random.pick(Array("0123456789")) })
                : String(
                    (0..<5).map { _ in
                        random.chance(0.8) ? random.pick(Array("0123456789")) : random.pick(DemoCatalog.plateCharacters)
                    }))
        if random.chance(0.01) { plate = "AB" + digits(4) }
        let kmPerDay = min(max(random.logNormal(median: 35, sigma: 0.5), 5), 200)
        let vehicleId = nextVehicleId
        nextVehicleId += 1
        var vehicle = Vehicle(
            id: vehicleId, storeId: store.id, vin: vin, plate: plate, brand: maker.brand,
            model: random.pick(maker.models),
            trim: random.pick(["舒适版", "豪华版", "尊贵版", "运动版"]), colour: random.pick(DemoCatalog.colours),
            deliveryDate: delivery, boughtHere: random.chance(0.8), mileageKm: nil, mileageReadOn: nil,
            insuranceCompany: random.pick(DemoCatalog.insurers), insuranceExpiry: nextAnniversary(of: delivery),
            inspectionDue: inspectionDue(delivery: delivery), warrantyEndDate: delivery.addingMonths(36),
            warrantyEndKm: 100_000, ownerCustomerId: customer.id, version: 1)
        makeVisits(vehicle: &vehicle, customer: customer, store: store, owner: owner, kmPerDay: kmPerDay, into: &chunk)
        chunk.vehicles.append(vehicle)
    }

    /// Maintenance every 6 months or 5,000 km (whichever first) with habits and skips; repairs and
    /// accidents in between; the customer stops coming in a churn year (about a third of vehicles a year,
    /// which with skipped visits gives the 20–40 % yearly customer churn dealers see).
    mutating func makeVisits(
        vehicle: inout Vehicle, customer: Customer, store: DemoStore, owner: (id: Int64, name: String)?,
        kmPerDay: Double, into chunk: inout DemoChunk
    ) {
        guard let delivery = vehicle.deliveryDate else { return }
        let windowStart = settings.today.addingMonths(-settings.years * 12)
        var churned: LocalDate?
        var year = max(delivery, windowStart)
        while year < settings.today {
            if random.chance(0.33) {
                churned = year.addingDays(random.int(0...364))
                break
            }
            year = year.addingMonths(12)
        }
        let end = min(churned ?? settings.today, settings.today)
        let intervalDays = Int(min(5_000 / kmPerDay, 182.0))
        var day = delivery.addingDays(min(90, Int(5_000 / kmPerDay)))
        var maintenanceCount = 0
        var lastMileage: Int?
        while day < end {
            let days = daysBetween(delivery, day)
            let mileage = Int(Double(days) * kmPerDay * (0.9 + random.unit() * 0.2))
            if day >= windowStart, !random.chance(0.15) {
                let type: RepairOrderType =
                    maintenanceCount == 0 && days < 200
                    ? .firstMaintenance
                    : (maintenanceCount == 1 && days < 400 ? .secondMaintenance : .periodicMaintenance)
                addOrder(
                    type: type, on: day, mileage: mileage, vehicle: vehicle, customer: customer, store: store,
                    owner: owner, into: &chunk)
                lastMileage = mileage
                vehicle.mileageKm = mileage
                vehicle.mileageReadOn = day
            }
            maintenanceCount += 1
            let between = day.addingDays(random.int(20...max(21, intervalDays - 10)))
            if between < end, between >= windowStart {
                let roll = random.unit()
                let type: RepairOrderType? =
                    roll < 0.2
                    ? .generalRepair
                    : roll < 0.24
                        ? .accident
                        : roll < 0.28
                            ? .bodyPaint
                            : roll < 0.36
                                ? .detailing
                                : roll < 0.40 && vehicle.inWarranty(on: between)
                                    ? .warranty
                                    : roll < 0.42 ? .insuranceClaim : nil
                if let type {
                    let mileage = Int(Double(daysBetween(delivery, between)) * kmPerDay)
                    addOrder(
                        type: type, on: between, mileage: mileage, vehicle: vehicle, customer: customer, store: store,
                        owner: owner, into: &chunk)
                }
            }
            day = day.addingDays(intervalDays + random.int(-15...30))
        }
        if vehicle.mileageKm == nil, let lastMileage { vehicle.mileageKm = lastMileage }
    }

    mutating func addOrder(
        type: RepairOrderType, on day: LocalDate, mileage: Int, vehicle: Vehicle, customer: Customer, store: DemoStore,
        owner: (id: Int64, name: String)?, into chunk: inout DemoChunk
    ) {
        let id = nextOrderId
        nextOrderId += 1
        var lines: [RepairOrderLine] = []
        func line(_ kind: LineKind, _ code: String, _ name: String, _ quantity: Double, yuan: Double, costShare: Double)
        {
            let amount = Int64((yuan * 100).rounded())
            lines.append(
                RepairOrderLine(
                    lineNo: lines.count + 1, kind: kind, code: code, name: name, quantity: quantity, amountFen: amount,
                    costFen: Int64(Double(amount) * costShare)))
        }
        switch type {
        case .firstMaintenance, .secondMaintenance, .periodicMaintenance:
            line(.labor, "L-MNT", "常规保养工时", 1, yuan: Double(random.int(150...400)), costShare: 0.3)
            line(.part, "P-OIL", "机油", 4.5, yuan: random.logNormal(median: 320, sigma: 0.35), costShare: 0.6)
            line(.part, "P-FLT", "机油滤清器", 1, yuan: Double(random.int(40...120)), costShare: 0.55)
            if random.chance(0.3) {
                line(.part, "P-AIR", "空气滤清器", 1, yuan: Double(random.int(60...180)), costShare: 0.55)
            }
        case .generalRepair:
            line(.labor, "L-REP", "维修工时", 1, yuan: random.logNormal(median: 300, sigma: 0.6), costShare: 0.3)
            line(
                .part, "P-REP", random.pick(["刹车片", "火花塞", "蓄电池", "减震器", "雨刮片"]), 1,
                yuan: random.logNormal(median: 600, sigma: 0.9), costShare: 0.62)
        case .accident, .insuranceClaim:
            line(.labor, "L-ACC", "事故车维修工时", 1, yuan: random.logNormal(median: 1_800, sigma: 0.7), costShare: 0.3)
            line(
                .part, "P-ACC", random.pick(["前保险杠", "大灯总成", "翼子板", "车门"]), 1,
                yuan: random.logNormal(median: 4_000, sigma: 0.9), costShare: 0.65)
        case .bodyPaint:
            line(
                .labor, "L-PNT", "钣金喷漆", Double(random.int(1...4)), yuan: random.logNormal(median: 1_200, sigma: 0.6),
                costShare: 0.35)
        case .detailing:
            line(
                .labor, "L-DTL", random.pick(["精洗美容", "打蜡", "内饰清洁", "镀晶"]), 1, yuan: Double(random.int(150...900)),
                costShare: 0.3)
        case .warranty:
            line(.labor, "L-WTY", "三包维修工时", 1, yuan: random.logNormal(median: 400, sigma: 0.5), costShare: 0.3)
            line(
                .part, "P-WTY", random.pick(["水泵", "发电机", "车窗升降器"]), 1, yuan: random.logNormal(median: 900, sigma: 0.6),
                costShare: 0.7)
        case .other:
            line(.labor, "L-OTH", "其他服务", 1, yuan: 100, costShare: 0.3)
        }
        let advisor =
            owner != nil && random.chance(0.7) ? owner : (store.advisors.isEmpty ? nil : random.pick(store.advisors))
        let labor = lines.filter { $0.kind == .labor }.reduce(Int64(0)) { $0 + $1.amountFen }
        let parts = lines.filter { $0.kind == .part }.reduce(Int64(0)) { $0 + $1.amountFen }
        let bigJob = type == .accident || type == .bodyPaint || type == .insuranceClaim
        let closed = min(day.addingDays(bigJob ? random.int(1...7) : (random.chance(0.8) ? 0 : 1)), settings.today)
        chunk.orders.append(
            RepairOrder(
                id: id, storeId: store.id, orderNo: "\(store.code)-RO\(String(format: "%08lld", id))",
                vehicleId: vehicle.id,
                customerId: customer.id, advisorId: advisor?.id, advisorName: advisor?.name ?? "", type: type,
                openedOn: day, closedOn: closed, mileageIn: mileage, laborFen: labor, partsFen: parts,
                totalFen: labor + parts, costFen: lines.reduce(0) { $0 + $1.costFen },
                internalComeback: random.chance(0.01), externalComeback: random.chance(0.005), lines: lines,
                openedMinute: openingMinute()))
    }

    /// When a car is received: most before noon (drop-offs on the way to work), a smaller wave after
    /// lunch, none outside 07:30–18:00.
    mutating func openingMinute() -> Int {
        let hour = random.chance(0.6) ? random.int(8...11) : random.int(13...17)
        return hour * 60 + random.int(0...59) - (hour == 8 && random.chance(0.3) ? 30 : 0)
    }

    mutating func weightedMaker() -> (wmi: String, brand: String, models: [String], weight: Int) {
        let total = DemoCatalog.makers.reduce(0) { $0 + $1.weight }
        var roll = random.int(0...(total - 1))
        for maker in DemoCatalog.makers {
            if roll < maker.weight { return maker }
            roll -= maker.weight
        }
        return DemoCatalog.makers[0]
    }

    /// WMI + 5 descriptor characters + check digit + model year + plant + 6-digit serial.
    mutating func makeVIN(wmi: String, year: Int) -> String {
        let descriptor = String((0..<5).map { _ in random.pick(DemoCatalog.vinCharacters) })
        let yearCode = DemoCatalog.yearCodes[max(0, year - 2010) % DemoCatalog.yearCodes.count]
        let plant = random.pick(DemoCatalog.vinCharacters)
        let serial = digits(6)
        let draft = wmi + descriptor + "0" + String(yearCode) + String(plant) + serial
        var characters = Array(draft)
        characters[8] = VIN.expectedCheckDigit(draft) ?? "0"
        return String(characters)
    }

    mutating func makePhone(city: (province: Character, letter: Character, areaCode: String, region: String)) -> String
    {
        let roll = random.unit()
        if roll < 0.92 { return makeMobile() }
        if roll < 0.97 { return city.areaCode + "-" + digits(city.areaCode.count == 3 ? 8 : 7) }
        // Dirty: a digit short, or a landline without its area code.
        return random.chance(0.5) ? String(makeMobile().dropLast()) : digits(8)
    }

    mutating func makeMobile() -> String { random.pick(DemoCatalog.mobilePrefixes) + digits(8) }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(random.int(0...9))) })
    }

    func nextAnniversary(of date: LocalDate) -> LocalDate {
        var next = date
        while next <= settings.today { next = next.addingMonths(12) }
        return next
    }

    /// Cars are exempt for six years, then inspected every two.
    func inspectionDue(delivery: LocalDate) -> LocalDate {
        var due = delivery.addingMonths(72)
        while due <= settings.today { due = due.addingMonths(24) }
        return due
    }

    func date(_ day: LocalDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 10)) ?? now
    }

    func daysBetween(_ from: LocalDate, _ to: LocalDate) -> Int { from.days(to: to) }
}
