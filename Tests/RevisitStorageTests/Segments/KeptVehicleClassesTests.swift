import Foundation
import RevisitCore
import RevisitTestSupport
import RevisitWeb
import SQLKit
import Testing

@testable import RevisitStorage

/// PostgreSQL classifies again only the vehicles that can have changed class since the last run
/// (`SQLSegmentStore+VehiclesKept`); after any changes and any days, every vehicle's classes and the counts
/// must be those of the domain rules. On SQLite every run classifies every vehicle.
@Suite struct KeptVehicleClassesTests {
    struct Car {
        var delivery: String?
        var endDate: String?
        var endKm: Int64?
        var mileage: Int64?
    }

    /// Vehicles delivered on every few days over five years, some with a warranty end day, a km limit or
    /// a mileage, some with none: boundaries fall on many of the days the runs below are made.
    static func cars() -> [Car] {
        var generator = SeededGenerator(seed: 7)
        let start = LocalDate("2020-06-01")!
        return (0..<400).map { index in
            let delivery = start.addingDays(Int.random(in: 0...2_300, using: &generator))
            return Car(
                delivery: index % 13 == 0 ? nil : delivery.description,
                endDate: index % 3 == 0
                    ? delivery.addingDays(Int.random(in: 700...1_400, using: &generator)).description : nil,
                endKm: index % 5 == 0 ? 80_000 : nil,
                mileage: index % 4 == 0 ? Int64.random(in: 10_000...90_000, using: &generator) : nil)
        }
    }

    static func insert(_ car: Car, number: Int, storeId: Int64, on database: Database) async throws -> Int64 {
        try await database.all(
            """
            INSERT INTO vehicles (store_id, vin, vin_rev, delivery_date, warranty_end_date, warranty_end_km, mileage_km,
                created_at, updated_at)
            VALUES (\(bind: storeId), \(bind: "VIN\(number)"), \(bind: "NIV\(number)"), \(bind: car.delivery),
                \(bind: car.endDate), \(bind: car.endKm), \(bind: car.mileage), 0, 0)
            RETURNING id
            """
        )[0].int64("id")
    }

    /// Each vehicle's kept classes that differ from the domain rules on `day`, and whether the counts
    /// agree with the rules.
    static func mismatches(
        _ store: SQLSegmentStore, storeId: Int64, cars: [Int64: Car], day: String,
        settings: SegmentSettings = SegmentSettings()
    ) async throws -> [String] {
        let asOf = LocalDate(day)!
        var found: [String] = []
        var counts: [String: [String: Int]] = [:]
        for (id, car) in cars {
            let band = VehicleSegmentation.ageBand(
                delivery: car.delivery.flatMap(LocalDate.init), asOf: asOf, settings: settings)
            let status = VehicleSegmentation.warranty(
                on: asOf, delivery: car.delivery.flatMap(LocalDate.init), endDate: car.endDate.flatMap(LocalDate.init),
                endKm: car.endKm, mileageKm: car.mileage, settings: settings)
            counts[band.rawValue, default: [:]][status.rawValue, default: 0] += 1
            let kept = try await store.vehicleSegments(vehicleId: id, storeId: storeId, scope: .system)
            if kept?.ageBand != band || kept?.warranty != status {
                found.append("\(day) \(id) \(car): \(String(describing: kept)) vs \(band) \(status)")
            }
        }
        let metrics = try await store.latestMetrics(storeId: storeId, scope: .system)?.metrics.vehicles ?? [:]
        let nonZero = metrics.mapValues { $0.filter { $0.value > 0 } }.filter { !$0.value.isEmpty }
        if nonZero != counts { found.append("\(day) counts \(nonZero) vs \(counts)") }
        return found
    }

    @Test(arguments: TestDatabase.engines)
    func vehicleClassesAfterChangesAndDaysAreTheRulesOnes(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let identity = SQLIdentityStore(database: database, now: { Date() })
            let fixture = try await Fixture.make(identity: identity, hasher: PasswordHasher(cost: 4))
            let storeId = fixture.storeA.id
            var cars: [Int64: Car] = [:]
            for (number, car) in Self.cars().enumerated() {
                cars[try await Self.insert(car, number: number, storeId: storeId, on: database)] = car
            }
            let store = SQLSegmentStore(database: database, now: { Date() })
            func run(_ day: String) async throws {
                _ = try await store.run(storeId: storeId, asOf: LocalDate(day)!, trigger: .cli, scope: .system)
            }
            try await run("2025-08-31")
            #expect(try await Self.mismatches(store, storeId: storeId, cars: cars, day: "2025-08-31") == [])

            // The DMS corrects a delivery day, a warranty end and a mileage; a vehicle comes, one goes.
            let ids = cars.keys.sorted()
            cars[ids[0]]?.delivery = "2025-08-15"
            cars[ids[1]]?.endDate = "2025-09-02"
            cars[ids[2]]?.mileage = 99_000
            for id in ids.prefix(3) {
                let car = cars[id]!
                try await database.run(
                    """
                    UPDATE vehicles SET delivery_date = \(bind: car.delivery), warranty_end_date = \(bind: car.endDate),
                        mileage_km = \(bind: car.mileage) WHERE store_id = \(bind: storeId) AND id = \(bind: id)
                    """)
            }
            let added = Car(delivery: "2022-09-01", endDate: nil, endKm: nil, mileage: nil)
            cars[try await Self.insert(added, number: 1_000, storeId: storeId, on: database)] = added
            try await database.run("DELETE FROM vehicles WHERE store_id = \(bind: storeId) AND id = \(bind: ids[3])")
            cars[ids[3]] = nil

            // Day after day over boundaries, a month on, a year on, then back.
            for day in ["2025-09-01", "2025-09-02", "2025-09-03", "2025-10-15", "2026-10-16", "2026-03-01"] {
                try await run(day)
                #expect(try await Self.mismatches(store, storeId: storeId, cars: cars, day: day) == [])
            }
            // Other thresholds the next day.
            var settings = SegmentSettings()
            settings.ageBandYears = [2, 4]
            settings.warrantyMonths = 24
            try await store.saveSettings(settings, storeId: storeId, scope: .system)
            try await run("2026-03-02")
            #expect(
                try await Self.mismatches(store, storeId: storeId, cars: cars, day: "2026-03-02", settings: settings)
                    == [])
        }
    }
}
