import Foundation
import RevisitCore
import RevisitJobs
import RevisitStorage
import RevisitTestSupport
import Testing

/// The nightly run: once per store and day, at the store's hour in its time zone, not for a store that
/// turned it off.
@Suite struct NightlySegmentationTests {
    @Test(arguments: TestDatabase.engines)
    func eachStoreRunsOnceADayAtItsHour(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, _ in
            let job = NightlySegmentation(
                identity: app.services.identity, segments: app.services.segments, now: app.clock.function,
                logger: TestDatabase.logger)
            // The test clock starts at 22:13 in Shanghai: every store's 02:00 has passed today.
            let first = try await job.tick()
            #expect(Set(first.map(\.storeId)) == [app.fixture.storeA.id, app.fixture.storeB.id, app.fixture.storeC.id])
            #expect(first.allSatisfy { $0.trigger == .nightly && $0.asOf == LocalDate("2026-09-21") })
            #expect(try await job.tick().isEmpty)

            var off = SegmentSettings()
            off.nightlyRun = false
            try await app.services.segments.saveSettings(off, storeId: app.fixture.storeA.id, scope: .system)
            // 01:13 the next day: too early.
            app.clock.advance(by: 3 * 3600)
            #expect(try await job.tick().isEmpty)
            // 02:13: B and C run for the new day; A is off.
            app.clock.advance(by: 3600)
            let second = try await job.tick()
            #expect(Set(second.map(\.storeId)) == [app.fixture.storeB.id, app.fixture.storeC.id])
            #expect(second.allSatisfy { $0.asOf == LocalDate("2026-09-22") })
        }
    }

    @Test func theDayAndHourAreTheStoresOwn() async throws {
        try await TestApp.with(.sqlite) { app, _ in
            let job = NightlySegmentation(
                identity: app.services.identity, segments: app.services.segments, now: app.clock.function,
                logger: TestDatabase.logger)
            _ = try await job.tick()
            let losAngeles = try await app.services.identity.createStore(
                StoreDraft(code: "LA1", name: "洛杉矶店", timeZone: "America/Los_Angeles"), scope: .system)
            // 01:13 on 22 September in Shanghai is 10:13 on the 21st in Los Angeles: only that store is due,
            // and its run is as of its own day.
            app.clock.advance(by: 3 * 3600)
            let runs = try await job.tick()
            #expect(runs.map(\.storeId) == [losAngeles.id] && runs.first?.asOf == LocalDate("2026-09-21"))
        }
    }
}
