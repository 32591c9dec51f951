import Foundation

/// How many customers are in each class, stage and quadrant; every class is present, zero or not.
public struct SegmentCounts: Sendable, Equatable, Codable {
    public var value: [String: Int]
    public var quadrant: [String: Int]
    public var churnStage: [String: Int]

    public init(_ segments: some Sequence<CustomerSegments> = []) {
        value = Dictionary(uniqueKeysWithValues: ValueClass.allCases.map { ($0.rawValue, 0) })
        quadrant = Dictionary(uniqueKeysWithValues: Quadrant.allCases.map { ($0.rawValue, 0) })
        churnStage = Dictionary(uniqueKeysWithValues: ChurnStage.allCases.map { ($0.rawValue, 0) })
        for segment in segments { add(segment.value, segment.quadrant, segment.churnStage) }
    }

    public mutating func add(_ valueClass: ValueClass, _ quadrant: Quadrant, _ stage: ChurnStage, count: Int = 1) {
        value[valueClass.rawValue, default: 0] += count
        self.quadrant[quadrant.rawValue, default: 0] += count
        churnStage[stage.rawValue, default: 0] += count
    }

    public var customers: Int { value.values.reduce(0, +) }
}

/// One segmentation run of a store: when, as of which day, who or what started it, how long it took.
public struct SegmentRun: Sendable, Equatable, Codable {
    public enum Trigger: String, Sendable, Codable {
        case cli, nightly, manual
    }

    public var id: Int64
    public var storeId: Int64
    public var asOf: LocalDate
    public var trigger: Trigger
    public var userLogin: String
    public var counts: SegmentCounts
    /// Customers whose value class or churn stage changed since the run before.
    public var moved: Int
    public var startedAt: Date
    public var durationMs: Int64
    /// Milliseconds per phase of this run (read, classify, write, vehicles, workshop…), for the log and
    /// the benchmark; not kept.
    public var phases: [String: Int64] = [:]

    public init(
        id: Int64, storeId: Int64, asOf: LocalDate, trigger: Trigger, userLogin: String, counts: SegmentCounts,
        moved: Int, startedAt: Date, durationMs: Int64
    ) {
        self.id = id
        self.storeId = storeId
        self.asOf = asOf
        self.trigger = trigger
        self.userLogin = userLogin
        self.counts = counts
        self.moved = moved
        self.startedAt = startedAt
        self.durationMs = durationMs
    }
}

/// A change of a customer's value class or churn stage, as a run recorded it.
public struct SegmentMove: Sendable, Equatable, Codable {
    public var asOf: LocalDate
    public var fromValue: String?
    public var toValue: String
    public var fromStage: String?
    public var toStage: String

    public init(asOf: LocalDate, fromValue: String?, toValue: String, fromStage: String?, toStage: String) {
        self.asOf = asOf
        self.fromValue = fromValue
        self.toValue = toValue
        self.fromStage = fromStage
        self.toStage = toStage
    }
}
