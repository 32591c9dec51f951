import Foundation
import RevisitCore
import Testing

@Suite struct KeyedChangesTests {
    struct Row: Equatable {
        let id: Int64
        let value: String
    }

    func rows(_ pairs: [(Int64, String)]) -> [Row] { pairs.map { Row(id: $0.0, value: $0.1) } }

    @Test func onlyNewAndDifferentRowsAreChangedAndOldKeysAreRemoved() {
        let old = rows([(1, "A"), (2, "B"), (4, "D"), (6, "F")])
        let new = rows([(2, "B"), (3, "C"), (4, "d"), (5, "E")])
        let changes = KeyedChanges(new: new, old: old, key: { $0.id })
        #expect(changes.changed == [1, 2, 3])
        #expect(changes.replaced == [nil, 2, nil])
        #expect(changes.removed == [1, 6])
    }

    @Test func listsOutOfKeyOrderAreComparedByKeyAllTheSame() {
        let old = rows([(6, "F"), (2, "B"), (4, "D"), (1, "A")])
        let new = rows([(5, "E"), (4, "d"), (3, "C"), (2, "B")])
        let changes = KeyedChanges(new: new, old: old, key: { $0.id })
        #expect(changes.changed == [2, 1, 0])
        #expect(changes.replaced == [nil, 2, nil])
        #expect(changes.removed == [1, 6])
    }

    @Test func emptySidesWriteEverythingOrRemoveEverything() {
        let some = rows([(1, "A"), (2, "B")])
        #expect(KeyedChanges(new: some, old: [], key: { $0.id }).changed == [0, 1])
        #expect(KeyedChanges(new: [], old: some, key: { $0.id }).removed == [1, 2])
        let same = KeyedChanges(new: some, old: some, key: { $0.id })
        #expect(same.changed.isEmpty && same.removed.isEmpty)
    }

    @Test func aRunComparesEveryStoredColumnAndMovesOnlyOnValueOrStage() {
        let activity = CustomerActivity(
            customerId: 9, windowRevenueFen: 0, windowCostFen: 0, windowVisits: 0, lastVisit: nil, firstVisit: nil,
            yearBits: 0, quarterBits: 0)
        let asOf = LocalDate("2025-08-31")!
        let fresh = SegmentRunResult([activity], previous: [], asOf: asOf, settings: SegmentSettings())
        #expect(fresh.changes.changed == [0] && fresh.moves.count == 1 && fresh.moves[0].fromValue == nil)
        let kept = StoredSegment(fresh.activities[0], fresh.segments[0])
        let again = SegmentRunResult([activity], previous: [kept], asOf: asOf, settings: SegmentSettings())
        #expect(again.changes.changed.isEmpty && again.moves.isEmpty)
        // An RFM score alone differs: the row is written again, but nobody moved between classes.
        var otherScore = kept
        otherScore.rfm.r = 5
        let rescored = SegmentRunResult([activity], previous: [otherScore], asOf: asOf, settings: SegmentSettings())
        #expect(rescored.changes.changed == [0] && rescored.moves.isEmpty)
        // A customer gone from the store (merged away) loses the row.
        var gone = kept
        gone.customerId = 3
        let merged = SegmentRunResult([activity], previous: [gone, kept], asOf: asOf, settings: SegmentSettings())
        #expect(merged.changes.removed == [3] && merged.changes.changed.isEmpty)
    }
}
