import Foundation
import RevisitCore
import RevisitStorage
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@Suite struct MergeTests {
    func counts(_ database: Database) async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for table in [
            "customers", "vehicles", "vehicle_owners", "repair_orders", "repair_order_lines", "customer_phones",
        ] {
            result[table] = try await database.all("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)")[0].decode(
                column: "n", as: Int64.self)
        }
        return result
    }

    @Test(arguments: TestDatabase.engines)
    func aMergeMovesEveryRowAndKeepsTheOldIdentifiersSearchable(engine: DatabaseEngine) async throws {
        try await CustomerStoreTests().withWorld(engine) { w in
            let (wang, _, _) = try await CustomerStoreTests.seed(w)
            // The same man entered again with another number, a second car and his own repair order.
            let again = try await w.customers.createCustomer(
                storeId: w.fixture.storeA.id,
                CustomerDraft(
                    customerNo: "C0999", name: "王伟", gender: .male, birthday: LocalDate("1980-02-02"),
                    phones: [CustomerStoreTests.phone("13700000001", primary: true)], tags: ["VIP", "老客户"]),
                scope: w.advisorA)
            let secondCar = try await w.vehicles.createVehicle(
                storeId: w.fixture.storeA.id,
                VehicleDraft(vin: "LFV2A21K6H4012345", plate: "京B55555", ownerCustomerId: again.id),
                scope: w.advisorA)
            _ = try await w.orders.createRepairOrder(
                storeId: w.fixture.storeA.id,
                RepairOrderDraft(
                    orderNo: "RO-X", vehicleId: secondCar.id, customerId: again.id, type: .generalRepair,
                    openedOn: LocalDate("2024-04-04")!,
                    lines: [
                        RepairOrderLine(
                            lineNo: 1, kind: .part, code: "", name: "刹车片", quantity: 1, amountFen: 50_000,
                            costFen: 30_000)
                    ]),
                scope: w.advisorA)
            try await w.customers.addInteraction(customerId: again.id, kind: .call, summary: "来电", scope: w.advisorA)
            let before = try await counts(w.database)

            let survivor = try await w.customers.merge(
                survivorId: wang.id, mergedId: again.id, taking: [.birthday], scope: w.admin)

            var after = try await counts(w.database)
            // The survivor gains copies of the merged phones; the tombstone keeps its own so they still search.
            #expect(after["customer_phones"]! == before["customer_phones"]! + 1)
            after["customer_phones"] = before["customer_phones"]
            #expect(after == before)  // nothing deleted, nothing doubled
            #expect(survivor.birthday == LocalDate("1980-02-02"))
            #expect(survivor.phones.map(\.number.digits) == ["13812345678", "01085550101", "13700000001"])
            #expect(survivor.tags == ["VIP", "车友会", "老客户"])
            #expect(try await w.vehicles.vehicles(ownedBy: wang.id, scope: w.admin).count == 2)
            #expect(
                try await w.orders.repairOrders(RepairOrderQuery(customerId: wang.id), scope: w.admin).items.count == 1)
            let timeline = try await w.customers.interactions(customerId: wang.id, kind: nil, limit: 50, scope: w.admin)
            #expect(timeline.contains { $0.kind == .call } && timeline.contains { $0.kind == .merge })
            let tombstone = try await w.customers.customer(id: again.id, scope: w.admin)
            #expect(tombstone.mergedIntoId == wang.id)
            // The merged record's number, phone and DMS number still lead to the survivor.
            #expect(
                try await w.customers.lookup(phone: PhoneNumber("13700000001"), scope: w.admin).map(\.customer.id) == [
                    wang.id
                ])
            #expect(
                try await w.customers.customers(CustomerQuery(q: "C0999"), scope: w.admin).items.map(\.id) == [wang.id])
            #expect(
                try await w.customers.customers(CustomerQuery(q: "王伟"), scope: w.admin).items.map(\.id) == [wang.id])
            let audit = try await SQLAuditStore(database: w.database, now: { Date() }).entries(
                AuditFilter(action: "customer.merged"), scope: w.admin)
            #expect(audit.first?.detail.contains("merged \(again.id)") == true)

            await #expect(throws: RevisitError(.conflict, code: .alreadyMerged, field: "mergedId")) {
                try await w.customers.merge(survivorId: wang.id, mergedId: again.id, taking: [], scope: w.admin)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func selfAndCrossStoreMergesAreRefused(engine: DatabaseEngine) async throws {
        try await CustomerStoreTests().withWorld(engine) { w in
            let (wang, _, _) = try await CustomerStoreTests.seed(w)
            let other = try await w.customers.createCustomer(
                storeId: w.fixture.storeB.id, CustomerDraft(name: "乙"), scope: w.advisorB)
            await #expect(throws: RevisitError(.validation, code: .mergeSelf, field: "mergedId")) {
                try await w.customers.merge(survivorId: wang.id, mergedId: wang.id, taking: [], scope: w.admin)
            }
            await #expect(throws: RevisitError(.validation, code: .mergeAcrossStores, field: "mergedId")) {
                try await w.customers.merge(survivorId: wang.id, mergedId: other.id, taking: [], scope: w.admin)
            }
            await #expect(throws: RevisitError.notFound()) {
                try await w.customers.merge(survivorId: wang.id, mergedId: other.id, taking: [], scope: w.advisorA)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func duplicatesAreFoundByPhonePlateAndMistypedVIN(engine: DatabaseEngine) async throws {
        try await CustomerStoreTests().withWorld(engine) { w in
            let (wang, li, _) = try await CustomerStoreTests.seed(w)
            let samePhone = try await w.customers.createCustomer(
                storeId: w.fixture.storeA.id,
                CustomerDraft(name: "王 伟", phones: [CustomerStoreTests.phone("13812345678", primary: true)]),
                scope: w.advisorA)
            // Li's car, entered again with the check digit mistyped (imports keep such VINs).
            let typo = try await w.vehicles.createVehicle(
                storeId: w.fixture.storeA.id, VehicleDraft(vin: "LSVAU2180N2184306", plate: "", ownerCustomerId: li.id),
                scope: w.advisorA)
            #expect(!typo.vinValid)
            let pairs = try await w.customers.duplicateCandidates(
                storeId: w.fixture.storeA.id, limit: 50, scope: w.advisorA)
            #expect(
                pairs.contains {
                    $0.reason == .phone && $0.key == "13812345678"
                        && Set([$0.first.id, $0.second.id]) == [wang.id, samePhone.id]
                })
            #expect(pairs.contains { $0.reason == .vin && Set([$0.first.id, $0.second.id]) == [wang.id, li.id] })
            let report = try await w.customers.dataQuality(storeId: w.fixture.storeA.id, scope: w.advisorA)
            #expect(report.customers == 3 && report.invalidVINs == 1 && report.duplicatePairs == pairs.count)
            #expect(report.missing["vehicle"] == 1)  // the second 王伟 has no car
            await #expect(throws: RevisitError.notFound()) {
                try await w.customers.dataQuality(storeId: w.fixture.storeA.id, scope: w.advisorB)
            }
        }
    }
}
