import Foundation

/// What a run computes from every customer's activity and the classes of the run before: the new
/// classes, their counts, and the customers whose value class or churn stage moved. Pure; storage reads
/// the inputs and writes the outputs on whichever engine it runs.
public struct SegmentRunResult: Sendable {
    public struct Move: Sendable, Equatable {
        public var customerId: Int64
        public var fromValue: String?
        public var toValue: String
        public var fromStage: String?
        public var toStage: String
    }

    public let classification: SegmentClassification
    public var activities: [CustomerActivity] { classification.activities }
    public var segments: [CustomerSegments] { classification.segments }
    public var counts: SegmentCounts { classification.counts }
    public let moves: [Move]
    public let summary: SegmentMoves
    /// The customers whose stored classes are new or changed (positions in `activities`), and those
    /// whose stored classes go: only these are written.
    public let changes: KeyedChanges

    /// `previous` is what the store keeps from the last run, one row per customer.
    public init(
        _ activities: [CustomerActivity], previous: [StoredSegment], asOf: LocalDate, settings: SegmentSettings
    ) {
        self.init(SegmentClassification(activities, asOf: asOf, settings: settings), previous: previous)
    }

    public init(_ classification: SegmentClassification, previous: [StoredSegment]) {
        self.classification = classification
        let activities = classification.activities
        let segments = classification.segments
        let stored = zip(activities, segments).map(StoredSegment.init)
        changes = KeyedChanges(new: stored, old: previous, key: { $0.customerId })
        var moves: [Move] = []
        var summary = SegmentMoves()
        for (index, replaced) in zip(changes.changed, changes.replaced) {
            let before = replaced.map { previous[$0] }
            let value = stored[index].value.rawValue
            let stage = stored[index].churnStage.rawValue
            let fromValue = before?.value.rawValue
            let fromStage = before?.churnStage.rawValue
            guard fromValue != value || fromStage != stage else { continue }
            summary.add(fromValue: fromValue, toValue: value, fromStage: fromStage, toStage: stage)
            moves.append(
                Move(
                    customerId: stored[index].customerId, fromValue: fromValue, toValue: value, fromStage: fromStage,
                    toStage: stage))
        }
        self.moves = moves
        self.summary = summary
    }

    /// The store analytics, once storage has summed the workshop and the vehicles.
    public func metrics(
        asOf: LocalDate, settings: SegmentSettings, workshop: WorkshopMetrics, vehicles: [String: [String: Int]]
    ) -> StoreMetrics {
        StoreAnalytics.metrics(
            activities, asOf: asOf, settings: settings, workshop: workshop, vehicles: vehicles, moves: summary)
    }
}

/// The classes of every customer, before they are compared with the last run's (storage computes them
/// while it has other work in hand).
public struct SegmentClassification: Sendable {
    public let activities: [CustomerActivity]
    public let segments: [CustomerSegments]
    public let counts: SegmentCounts

    public init(_ activities: [CustomerActivity], asOf: LocalDate, settings: SegmentSettings) {
        self.activities = activities
        segments = Segmentation.classify(activities, asOf: asOf, settings: settings)
        counts = SegmentCounts(segments)
    }
}
