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

    public let activities: [CustomerActivity]
    public let segments: [CustomerSegments]
    public let counts: SegmentCounts
    public let moves: [Move]
    public let summary: SegmentMoves

    /// `previous` is each customer's value class and churn stage from the last run, by customer id.
    public init(
        _ activities: [CustomerActivity], previous: [Int64: (value: String, stage: String)], asOf: LocalDate,
        settings: SegmentSettings
    ) {
        self.activities = activities
        segments = Segmentation.classify(activities, asOf: asOf, settings: settings)
        counts = SegmentCounts(segments)
        var moves: [Move] = []
        var summary = SegmentMoves()
        for (activity, segment) in zip(activities, segments) {
            let before = previous[activity.customerId]
            let value = segment.value.rawValue
            let stage = segment.churnStage.rawValue
            guard before?.value != value || before?.stage != stage else { continue }
            summary.add(fromValue: before?.value, toValue: value, fromStage: before?.stage, toStage: stage)
            moves.append(
                Move(
                    customerId: activity.customerId, fromValue: before?.value, toValue: value,
                    fromStage: before?.stage, toStage: stage))
        }
        self.moves = moves
        self.summary = summary
    }

    /// The store analytics, once storage has summed the workshop and the vehicles.
    public func metrics(asOf: LocalDate, workshop: WorkshopMetrics, vehicles: [String: [String: Int]]) -> StoreMetrics {
        StoreAnalytics.metrics(
            activities, segments: segments, asOf: asOf, workshop: workshop, vehicles: vehicles, moves: summary)
    }
}
