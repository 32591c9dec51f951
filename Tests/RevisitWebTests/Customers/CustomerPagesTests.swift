import Foundation
import HummingbirdTesting
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import Testing

@Suite struct CustomerPagesTests {
    /// A customer of store A with a car and a repair order, made through the stores.
    static func seedCustomer(_ app: TestApp) async throws -> (customer: Customer, vehicle: Vehicle, order: RepairOrder)
    {
        let scope = try await app.services.identity.scope(for: app.fixture.managerA, clientAddress: "t")
        let customer = try await app.services.customers.createCustomer(
            storeId: app.fixture.storeA.id,
            CustomerDraft(
                customerNo: "C-88", name: "周杰", gender: .male,
                phones: [CustomerPhone(number: PhoneNumber("13812345678"), kind: .mobile, primary: true)],
                ownerId: app.fixture.advisorA.id),
            scope: scope)
        let vehicle = try await app.services.vehicles.createVehicle(
            storeId: app.fixture.storeA.id,
            VehicleDraft(
                vin: "LSVAU2187N2184306", plate: "京A88888", brand: "大众", model: "途观", ownerCustomerId: customer.id),
            scope: scope)
        let order = try await app.services.repairOrders.createRepairOrder(
            storeId: app.fixture.storeA.id,
            RepairOrderDraft(
                orderNo: "RO-88", vehicleId: vehicle.id, customerId: customer.id, type: .periodicMaintenance,
                openedOn: LocalDate("2024-05-06")!, closedOn: LocalDate("2024-05-06")!, mileageIn: 20_000,
                lines: [
                    RepairOrderLine(
                        lineNo: 1, kind: .labor, code: "L1", name: "保养工时", quantity: 1, amountFen: 30_000, costFen: 0)
                ]),
            scope: scope)
        return (customer, vehicle, order)
    }

    @Test(arguments: TestDatabase.engines)
    func anAdvisorCreatesACustomerFindsItByPhoneSuffixAndOpensThe360Page(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let advisor = try await web.signedIn("advisor-a")
            let form = try await advisor.get("/customers/new")
            #expect(form.status == .ok && form.text.contains("customer-form"))
            let bad = try await advisor.post(
                "/customers", [("name", "孙七"), ("phone0", "12345"), ("primaryPhone", "0"), ("phoneKind0", "mobile")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("无法识别的电话号码"))
            #expect(bad.text.contains("value=\"孙七\""))  // what was typed comes back
            let created = try await advisor.post(
                "/customers",
                [
                    ("name", "孙七"), ("phone0", "+86 139-2222-3333"), ("phoneKind0", "mobile"), ("primaryPhone", "0"),
                    ("type", "individual"), ("gender", "female"), ("owner", String(app.fixture.advisorA.id)),
                    ("tags", "VIP, 车友会"), ("consentCallback", "1"),
                ])
            #expect(created.status == .seeOther)
            let list = try await advisor.get("/customers?q=3333")
            #expect(list.text.contains("孙七") && list.text.contains("139****3333"))
            let href = try #require(
                list.text.range(of: #"/customers/\d+"#, options: .regularExpression).map { String(list.text[$0]) })
            let page = try await advisor.get(href)
            #expect(page.status == .ok && page.text.contains("孙七") && page.text.contains("139****3333"))
            #expect(!page.text.contains("13922223333"))
            let revealed = try await advisor.post(href + "/reveal")
            #expect(revealed.status == .ok && revealed.text.contains("13922223333"))
            let audit = try await app.services.audit.entries(
                AuditFilter(action: "customer.phone_revealed"), scope: .system)
            #expect(audit.first?.login == "advisor-a")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func phoneNumbersAreMaskedByRole(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, _, _) = try await Self.seedCustomer(app)
            let manager = try await web.signedIn("manager-a")
            #expect(try await manager.get("/customers/\(customer.id)").text.contains("13812345678"))
            let analyst = try await web.signedIn("analyst")
            let seen = try await analyst.get("/customers/\(customer.id)")
            #expect(
                seen.text.contains("138****5678") && !seen.text.contains("13812345678")
                    && !seen.text.contains("id=\"reveal\""))
            #expect(try await analyst.post("/customers/\(customer.id)/reveal").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aCompanysContactsShowUnderTheirHeading(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let scope = try await app.services.identity.scope(for: app.fixture.managerA, clientAddress: "t")
            let company = try await app.services.customers.createCustomer(
                storeId: app.fixture.storeA.id,
                CustomerDraft(
                    type: .company, name: "顺达物流",
                    contacts: [CustomerContact(name: "赵敏", title: "车队长", phone: PhoneNumber("13711112222"))]),
                scope: scope)
            let page = try await web.signedIn("manager-a").get("/customers/\(company.id)").text
            #expect(page.contains("<h3>联系人</h3>") && page.contains("赵敏"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theCareFlagShowsAtReceptionUntilSomeoneWithTheRightClearsIt(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, vehicle, order) = try await Self.seedCustomer(app)
            let advisor = try await web.signedIn("advisor-a")
            _ = try await advisor.get("/customers/\(customer.id)")
            let set = try await advisor.post("/customers/\(customer.id)/alert", [("reason", "上次维修不满意，投诉未结")])
            #expect(set.status == .seeOther)
            for path in ["/customers/\(customer.id)", "/vehicles/\(vehicle.id)", "/repair-orders/\(order.id)"] {
                #expect(try await advisor.get(path).text.contains("上次维修不满意，投诉未结"), "\(path)")
            }
            #expect(try await advisor.get("/customers?alert=1").text.contains("周杰"))
            #expect(try await advisor.post("/customers/\(customer.id)/alert/clear").status == .forbidden)
            let csr = try await web.signedIn("csr-a")
            _ = try await csr.get("/customers/\(customer.id)")
            #expect(try await csr.post("/customers/\(customer.id)/alert/clear").status == .seeOther)
            let after = try await csr.get("/customers/\(customer.id)")
            #expect(!after.text.contains("care-banner"))
            #expect(after.text.contains("⚠ 上次维修不满意") && after.text.contains("✓ 上次维修不满意"))  // both on the timeline
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aStaleEditIsRefusedWithoutLosingTheNewerOne(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, _, _) = try await Self.seedCustomer(app)
            let first = try await web.signedIn("advisor-a")
            let second = try await web.signedIn("manager-a")
            _ = try await first.get("/customers/\(customer.id)/edit")
            _ = try await second.get("/customers/\(customer.id)/edit")
            let fields: [(String, String)] = [
                ("name", "周杰"), ("phone0", "13812345678"), ("primaryPhone", "0"), ("version", String(customer.version)),
            ]
            #expect(
                try await second.post("/customers/\(customer.id)", fields + [("address", "manager's address")]).status
                    == .seeOther)
            let stale = try await first.post("/customers/\(customer.id)", fields + [("address", "advisor's address")])
            #expect(stale.status == .conflict && stale.text.contains("该记录已被他人修改"))
            #expect(
                try await app.services.customers.customer(id: customer.id, scope: .system).address
                    == "manager's address")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aTypedVINWithAWrongCheckDigitIsRefusedNamingTheRightOne(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            let (customer, _, _) = try await Self.seedCustomer(app)
            let advisor = try await web.signedIn("advisor-a")
            let form = try await advisor.get("/vehicles/new?customer=\(customer.id)")
            #expect(form.status == .ok && form.text.contains("vehicle-form"))
            let wrong = try await advisor.post(
                "/vehicles", [("vin", "LFV2A21K7H4012345"), ("plate", "京B12345"), ("owner", String(customer.id))])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("应为 6"))
            let right = try await advisor.post(
                "/vehicles", [("vin", "LFV2A21K6H4012345"), ("plate", "京B12345"), ("owner", String(customer.id))])
            #expect(right.status == .seeOther)
            let vehicle = try await advisor.get(try #require(right.headers[.location]))
            #expect(vehicle.text.contains("京B12345") && vehicle.text.contains("周杰"))
        }
    }
}
