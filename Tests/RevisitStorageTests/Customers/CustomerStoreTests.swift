import Foundation
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import RevisitWeb
import Testing

/// Customers, vehicles and repair orders on both engines, through the store protocols.
@Suite struct CustomerStoreTests {
    struct World: Sendable {
        let fixture: Fixture
        let customers: SQLCustomerStore
        let vehicles: SQLVehicleStore
        let orders: SQLRepairOrderStore
        let identity: SQLIdentityStore
        let database: Database
        let admin: Scope
        let advisorA: Scope
        let advisorB: Scope
    }

    func withWorld(_ engine: DatabaseEngine, _ body: @Sendable (World) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let world = World(
                fixture: fixture, customers: SQLCustomerStore(database: database, now: { Date() }),
                vehicles: SQLVehicleStore(database: database, now: { Date() }),
                orders: SQLRepairOrderStore(database: database, now: { Date() }), identity: identity,
                database: database,
                admin: try await identity.scope(for: fixture.admin, clientAddress: "t"),
                advisorA: try await identity.scope(for: fixture.advisorA, clientAddress: "t"),
                advisorB: try await identity.scope(for: fixture.advisorB, clientAddress: "t"))
            try await body(world)
        }
    }

    static func phone(_ raw: String, _ kind: PhoneKind = .mobile, primary: Bool = false) -> CustomerPhone {
        CustomerPhone(number: PhoneNumber(raw), kind: kind, primary: primary)
    }

    @discardableResult
    static func seed(_ w: World) async throws -> (wang: Customer, li: Customer, car: Vehicle) {
        let wang = try await w.customers.createCustomer(
            storeId: w.fixture.storeA.id,
            CustomerDraft(
                customerNo: "C0001", name: "王伟", gender: .male,
                phones: [phone("138-1234-5678", primary: true), phone("010-85550101", .office)], address: "朝阳路 1 号",
                region: "北京", sourceChannel: "展厅", tags: ["VIP", "车友会"], ownerId: w.fixture.advisorA.id),
            scope: w.advisorA)
        let li = try await w.customers.createCustomer(
            storeId: w.fixture.storeA.id, CustomerDraft(name: "李娜", phones: [phone("13987654321")]), scope: w.advisorA)
        let car = try await w.vehicles.createVehicle(
            storeId: w.fixture.storeA.id,
            VehicleDraft(
                vin: "LSVAU2187N2184306", plate: "京A·12345", brand: "大众", model: "帕萨特",
                deliveryDate: LocalDate("2022-05-01"), ownerCustomerId: wang.id),
            scope: w.advisorA)
        return (wang, li, car)
    }

    @Test(arguments: TestDatabase.engines)
    func aCustomerIsFoundByAnyOfItsIdentifiers(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let (wang, li, _) = try await Self.seed(w)
            func find(_ q: String) async throws -> [String] {
                try await w.customers.customers(CustomerQuery(q: q), scope: w.advisorA).items.map(\.name)
            }
            #expect(try await find("13812345678") == ["王伟"])
            #expect(try await find("+86 138 1234 5678") == ["王伟"])
            #expect(try await find("5678") == ["王伟"])
            #expect(try await find("4321") == ["李娜"])
            #expect(try await find("0101") == ["王伟"])  // the office landline's last digits
            #expect(try await find("京A12345") == ["王伟"])
            #expect(try await find("12345") == ["王伟"])  // plate digits
            #expect(try await find("184306") == ["王伟"])  // VIN tail
            #expect(try await find("王") == ["王伟"])
            #expect(try await find("C0001") == ["王伟"])
            #expect(try await find("9999") == [])
            let loaded = try await w.customers.customer(id: wang.id, scope: w.advisorA)
            #expect(loaded.phones.map(\.number.digits) == ["13812345678", "01085550101"])
            #expect(loaded.tags == ["VIP", "车友会"])
            #expect(
                try await w.customers.customers(CustomerQuery(tag: "VIP"), scope: w.advisorA).items.map(\.id) == [
                    wang.id
                ])
            let summaries = try await w.customers.customers(CustomerQuery(), scope: w.advisorA).items
            // 王伟 lacks only his birthday (8 of 9 key fields); 李娜 has a name and a phone (2 of 9).
            #expect(summaries.first { $0.id == wang.id }?.completeness == 89)
            #expect(summaries.first { $0.id == li.id }?.completeness == 22)
            #expect(
                try await w.customers.customers(CustomerQuery(flag: .incomplete), scope: w.advisorA).items.count == 2)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anotherStoresCustomerDoesNotExistForAStoreUser(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let (wang, _, car) = try await Self.seed(w)
            await #expect(throws: RevisitError.notFound()) {
                try await w.customers.customer(id: wang.id, scope: w.advisorB)
            }
            await #expect(throws: RevisitError.notFound()) {
                try await w.vehicles.vehicle(id: car.id, scope: w.advisorB)
            }
            #expect(try await w.customers.customers(CustomerQuery(q: "13812345678"), scope: w.advisorB).items.isEmpty)
            #expect(try await w.customers.lookup(phone: PhoneNumber("13812345678"), scope: w.advisorB).isEmpty)
            await #expect(throws: RevisitError.notFound()) {
                try await w.customers.createCustomer(
                    storeId: w.fixture.storeA.id, CustomerDraft(name: "x"), scope: w.advisorB)
            }
            await #expect(throws: RevisitError.notFound()) {
                try await w.customers.setAlert(customerId: wang.id, reason: "x", scope: w.advisorB)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func listsPageByKeysetWithoutRepeatsOrGaps(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            for index in 0..<23 {
                _ = try await w.customers.createCustomer(
                    storeId: w.fixture.storeA.id, CustomerDraft(name: "客户\(String(format: "%02d", index % 11))"),
                    scope: w.advisorA)
            }
            for sort in CustomerSort.allCases {
                var seen: [Int64] = []
                var cursor: String?
                repeat {
                    let page = try await w.customers.customers(
                        CustomerQuery(sort: sort, limit: 5, cursor: cursor), scope: w.advisorA)
                    seen += page.items.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(seen.count == 23 && Set(seen).count == 23, "\(sort)")
            }
            await #expect(throws: RevisitError(.badRequest, code: .invalidCursor, field: "cursor")) {
                try await w.customers.customers(CustomerQuery(cursor: "garbage"), scope: w.advisorA)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anEditBasedOnAnOldVersionIsRefused(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let (wang, _, _) = try await Self.seed(w)
            var draft = CustomerDraft(wang)
            draft.address = "新地址"
            let updated = try await w.customers.updateCustomer(
                id: wang.id, draft, expectedVersion: wang.version, scope: w.advisorA)
            #expect(updated.version == wang.version + 1 && updated.address == "新地址")
            draft.address = "stale"
            await #expect(throws: RevisitError.self) {
                try await w.customers.updateCustomer(
                    id: wang.id, draft, expectedVersion: wang.version, scope: w.advisorA)
            }
            #expect(try await w.customers.customer(id: wang.id, scope: w.advisorA).address == "新地址")
            let timeline = try await w.customers.interactions(
                customerId: wang.id, kind: .edit, limit: 10, scope: w.advisorA)
            #expect(timeline.first?.summary == "address")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theAlertIsSetAndClearedOnTheTimelineAndInTheAuditLog(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let (wang, _, _) = try await Self.seed(w)
            let flagged = try await w.customers.setAlert(customerId: wang.id, reason: "投诉未结：维修质量", scope: w.advisorA)
            #expect(flagged.alert?.reason == "投诉未结：维修质量" && flagged.alert?.setBy == "advisor-a")
            #expect(
                try await w.customers.customers(CustomerQuery(alertOnly: true), scope: w.advisorA).items.map(\.id) == [
                    wang.id
                ])
            let cleared = try await w.customers.setAlert(customerId: wang.id, reason: nil, scope: w.advisorA)
            #expect(cleared.alert == nil)
            let kinds = try await w.customers.interactions(
                customerId: wang.id, kind: .alert, limit: 10, scope: w.advisorA)
            #expect(kinds.count == 2)
            let audit = try await SQLAuditStore(database: w.database, now: { Date() }).entries(
                AuditFilter(storeId: w.fixture.storeA.id), scope: w.admin)
            #expect(
                audit.map(\.action).contains("customer.alert_set")
                    && audit.map(\.action).contains("customer.alert_cleared"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func lookupAcceptsAnyWrittenForm(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let (wang, _, _) = try await Self.seed(w)
            for form in ["+86 138-1234-5678", "13812345678", "0086 138 1234 5678", "010-85550101", "+86 10 8555 0101"] {
                #expect(
                    try await w.customers.lookup(phone: PhoneNumber(form), scope: w.advisorA).map(\.customer.id) == [
                        wang.id
                    ],
                    "\(form)")
            }
        }
    }

    /// The screen pop builds the record, its vehicles and interactions in one statement; it must carry
    /// exactly what the ordinary readers give.
    @Test(arguments: TestDatabase.engines)
    func screenPopCarriesWhatTheReadersGive(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let company = try await w.customers.createCustomer(
                storeId: w.fixture.storeA.id,
                CustomerDraft(
                    customerNo: "K01", type: .company, name: "北京顺达物流有限公司",
                    phones: [Self.phone("010-66778899", .office, primary: true), Self.phone("13711112222")],
                    contacts: [
                        CustomerContact(name: "赵敏", title: "车队长", phone: PhoneNumber("13711112222")),
                        CustomerContact(name: "钱亮", title: "财务", phone: nil),
                    ]),
                scope: w.advisorA)
            var cars: [Vehicle] = []
            for (vin, plate) in [("LSVAU2187N2184306", "京A12345"), ("LFV2A21K2G4011112", "京B54321")] {
                cars.append(
                    try await w.vehicles.createVehicle(
                        storeId: w.fixture.storeA.id,
                        VehicleDraft(
                            vin: vin, plate: plate, brand: "大众", model: "迈腾", colour: "黑",
                            deliveryDate: LocalDate("2021-03-04"), mileageKm: 45_000,
                            mileageReadOn: LocalDate("2025-01-02"),
                            insuranceCompany: "人保", insuranceExpiry: LocalDate("2026-03-04"),
                            ownerCustomerId: company.id),
                        scope: w.advisorA))
            }
            for n in 1...7 {
                try await w.customers.addInteraction(
                    customerId: company.id, kind: n % 2 == 0 ? .call : .note, summary: "第\(n)次", scope: w.advisorA)
            }
            _ = try await w.customers.setAlert(customerId: company.id, reason: "投诉未结", scope: w.advisorA)
            let pops = try await w.customers.lookup(phone: PhoneNumber("+86 137 1111 2222"), scope: w.advisorA)
            try #require(pops.count == 1)
            let pop = pops[0]
            #expect(pop.customer == (try await w.customers.customer(id: company.id, scope: w.advisorA)))
            #expect(pop.storeCode == w.fixture.storeA.code)
            #expect(pop.vehicles == (try await w.vehicles.vehicles(ownedBy: company.id, scope: w.advisorA)))
            #expect(pop.vehicles.count == 2)
            let newest = try await w.customers.interactions(
                customerId: company.id, kind: nil, limit: ScreenPop.interactionCount, scope: w.advisorA)
            #expect(pop.interactions == newest)
            #expect(pop.interactions.count == 5)
            #expect(pop.customer.contacts.map(\.name) == ["赵敏", "钱亮"])
            #expect(pop.customer.alert?.reason == "投诉未结")
            // A customer with no vehicles, contacts or interactions still pops up, with empty lists.
            let li = try await w.customers.createCustomer(
                storeId: w.fixture.storeA.id, CustomerDraft(name: "李娜", phones: [Self.phone("13987654321")]),
                scope: w.advisorA)
            let lonely = try await w.customers.lookup(phone: PhoneNumber("13987654321"), scope: w.advisorA)
            #expect(lonely.map(\.customer.id) == [li.id])
            #expect(lonely.first?.vehicles.isEmpty == true && lonely.first?.interactions.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aVehicleKeepsItsOwnershipHistory(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let (wang, li, car) = try await Self.seed(w)
            #expect(car.plate == "京A12345" && car.vinValid && car.plateValid)
            var draft = VehicleDraft(car)
            draft.ownerCustomerId = li.id
            let today = LocalDate("2024-06-01")!
            let moved = try await w.vehicles.updateVehicle(
                id: car.id, draft, expectedVersion: car.version, today: today, scope: w.advisorA)
            #expect(moved.ownerCustomerId == li.id)
            let owners = try await w.vehicles.owners(vehicleId: car.id, scope: w.advisorA)
            #expect(owners.map(\.customerName) == ["李娜", "王伟"])
            #expect(owners[1].until == today && owners[0].until == nil)
            #expect(try await w.vehicles.vehicles(ownedBy: wang.id, scope: w.advisorA).isEmpty)
            await #expect(throws: RevisitError.self) {
                try await w.vehicles.createVehicle(
                    storeId: w.fixture.storeA.id, VehicleDraft(vin: "lsvau2187n2184306"), scope: w.advisorA)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func importedImperfectVINsAndPlatesAreKeptAndFlagged(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let car = try await w.vehicles.createVehicle(
                storeId: w.fixture.storeA.id, VehicleDraft(vin: "LSVAU2180N2184306", plate: "ABC123"), scope: w.advisorA
            )
            #expect(!car.vinValid && !car.plateValid)
            #expect(
                try await w.vehicles.vehicles(VehicleQuery(flag: .vin), scope: w.advisorA).items.map(\.id) == [car.id])
            #expect(
                try await w.vehicles.vehicles(VehicleQuery(flag: .plate), scope: w.advisorA).items.map(\.id) == [car.id]
            )
        }
    }

    @Test(arguments: TestDatabase.engines)
    func repairOrdersKeepTheirLinesAndTotals(engine: DatabaseEngine) async throws {
        try await withWorld(engine) { w in
            let (wang, _, car) = try await Self.seed(w)
            let draft = RepairOrderDraft(
                orderNo: "RO-2024-0001", vehicleId: car.id, customerId: wang.id, advisorId: w.fixture.advisorA.id,
                type: .periodicMaintenance, openedOn: LocalDate("2024-03-05")!, closedOn: LocalDate("2024-03-06")!,
                mileageIn: 15_230,
                lines: [
                    RepairOrderLine(
                        lineNo: 1, kind: .labor, code: "L01", name: "机油更换工时", quantity: 1, amountFen: 12_000,
                        costFen: 3_000),
                    RepairOrderLine(
                        lineNo: 2, kind: .part, code: "P88", name: "机油 4L", quantity: 4.5, amountFen: 38_050,
                        costFen: 25_000),
                ])
            let order = try await w.orders.createRepairOrder(storeId: w.fixture.storeA.id, draft, scope: w.advisorA)
            #expect(order.totalFen == 50_050 && order.laborFen == 12_000 && order.partsFen == 38_050)
            #expect(order.grossProfitFen == 22_050 && order.daysInShop == 2)
            #expect(order.lines.map(\.quantity) == [1, 4.5])
            let listed = try await w.orders.repairOrders(RepairOrderQuery(customerId: wang.id), scope: w.advisorA)
            #expect(listed.items.map(\.orderNo) == ["RO-2024-0001"])
            #expect(try await w.orders.repairOrders(RepairOrderQuery(q: "京A12345"), scope: w.advisorA).items.count == 1)
            await #expect(throws: RevisitError.self) {
                try await w.orders.createRepairOrder(storeId: w.fixture.storeA.id, draft, scope: w.advisorA)
            }
            await #expect(throws: RevisitError.notFound()) {
                try await w.orders.repairOrder(id: order.id, scope: w.advisorB)
            }
            // A store-B order cannot point at a store-A vehicle.
            var foreign = draft
            foreign.orderNo = "B-1"
            await #expect(throws: RevisitError.self) {
                try await w.orders.createRepairOrder(storeId: w.fixture.storeB.id, foreign, scope: w.advisorB)
            }
        }
    }
}
