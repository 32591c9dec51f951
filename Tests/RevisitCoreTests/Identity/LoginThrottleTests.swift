import Foundation
import RevisitCore
import Testing

@Suite struct LoginThrottleTests {
    let throttle = LoginThrottle()
    let now = Date(timeIntervalSince1970: 1_000_000)

    func failures(minutesAgo: [Double]) -> [Date] { minutesAgo.map { now.addingTimeInterval(-$0 * 60) } }

    @Test func fourFailuresStillAllowAnotherTry() {
        #expect(throttle.decide(failures: failures(minutesAgo: [1, 2, 3, 4]), limit: 5, now: now) == .allowed)
    }

    @Test func fiveFailuresLockUntilTheOldestLeavesTheWindow() {
        let decision = throttle.decide(failures: failures(minutesAgo: [10, 8, 6, 4, 2]), limit: 5, now: now)
        #expect(decision == .locked(until: now.addingTimeInterval(5 * 60)))
    }

    @Test func failuresOlderThanFifteenMinutesDoNotCount() {
        #expect(throttle.decide(failures: failures(minutesAgo: [15, 16, 20, 3, 2]), limit: 5, now: now) == .allowed)
    }

    @Test func moreThanTheLimitUnlocksOnlyWhenBelowItAgain() {
        // Seven failures: the lock lasts until the third-newest-but-four (the one that would leave four) ages out.
        let decision = throttle.decide(failures: failures(minutesAgo: [14, 12, 10, 8, 6, 4, 2]), limit: 5, now: now)
        #expect(decision == .locked(until: now.addingTimeInterval(5 * 60)))
    }
}
