import Foundation
import RevisitCore
import Testing

@Suite struct SessionPolicyTests {
    let policy = SessionPolicy()
    let start = Date(timeIntervalSince1970: 2_000_000)

    @Test func aSessionUsedWithinTwoHoursStaysValid() {
        #expect(policy.isValid(createdAt: start, lastSeenAt: start, now: start.addingTimeInterval(7_199)))
    }

    @Test func twoIdleHoursEndIt() {
        #expect(!policy.isValid(createdAt: start, lastSeenAt: start, now: start.addingTimeInterval(7_200)))
    }

    @Test func twelveHoursEndItHoweverBusy() {
        let now = start.addingTimeInterval(12 * 3600)
        #expect(!policy.isValid(createdAt: start, lastSeenAt: now.addingTimeInterval(-60), now: now))
        #expect(
            policy.isValid(createdAt: start, lastSeenAt: now.addingTimeInterval(-60), now: now.addingTimeInterval(-1)))
    }

    @Test func lastSeenIsWrittenAtMostOnceAMinute() {
        #expect(!policy.needsTouch(lastSeenAt: start, now: start.addingTimeInterval(59)))
        #expect(policy.needsTouch(lastSeenAt: start, now: start.addingTimeInterval(60)))
    }
}
