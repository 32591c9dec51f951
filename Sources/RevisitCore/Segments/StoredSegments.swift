import Foundation

/// A customer's classes as the store keeps them between runs. A run compares each customer's new
/// classes with these and writes only the customers whose classes changed: night after night most
/// customers keep theirs, and rewriting a million rows to change a few thousand was most of a run.
public struct StoredSegment: Sendable, Equatable {
    public var customerId: Int64
    public var value: ValueClass
    public var quadrant: Quadrant
    public var rfm: RFMScore
    public var churnStage: ChurnStage
    public var lastVisit: LocalDate?

    public init(
        customerId: Int64, value: ValueClass, quadrant: Quadrant, rfm: RFMScore, churnStage: ChurnStage,
        lastVisit: LocalDate?
    ) {
        self.customerId = customerId
        self.value = value
        self.quadrant = quadrant
        self.rfm = rfm
        self.churnStage = churnStage
        self.lastVisit = lastVisit
    }

    public init(_ activity: CustomerActivity, _ segments: CustomerSegments) {
        self.init(
            customerId: activity.customerId, value: segments.value, quadrant: segments.quadrant, rfm: segments.rfm,
            churnStage: segments.churnStage, lastVisit: activity.lastVisit)
    }
}

/// A vehicle's classes as the store keeps them between runs (compared the same way).
public struct StoredVehicleSegment: Sendable, Equatable {
    public var vehicleId: Int64
    public var ageBand: AgeBand
    public var warranty: WarrantyStatus

    public init(vehicleId: Int64, ageBand: AgeBand, warranty: WarrantyStatus) {
        self.vehicleId = vehicleId
        self.ageBand = ageBand
        self.warranty = warranty
    }
}

/// What changed between two keyed lists: positions in the new list whose row is new or different (with
/// the position of the old row it replaces, nil for a new key), and the keys only the old list has.
public struct KeyedChanges: Sendable, Equatable {
    public var changed: [Int]
    public var replaced: [Int?]
    public var removed: [Int64]

    /// Both lists are walked side by side in key order; a list not in key order is put in order first
    /// (storage reads both in key order, so that is a check, not a sort). Inlinable so the caller's copy
    /// is specialized for its rows: the generic one spent more on type metadata than on comparing.
    @inlinable
    public init<Row: Equatable>(new rows: [Row], old: [Row], key: (Row) -> Int64) {
        let newOrder = Self.order(rows, key)
        let oldOrder = Self.order(old, key)
        var changed: [Int] = []
        var replaced: [Int?] = []
        var removed: [Int64] = []
        var o = 0
        for n in newOrder {
            let id = key(rows[n])
            while o < oldOrder.count && key(old[oldOrder[o]]) < id {
                removed.append(key(old[oldOrder[o]]))
                o += 1
            }
            if o < oldOrder.count && key(old[oldOrder[o]]) == id {
                if old[oldOrder[o]] != rows[n] {
                    changed.append(n)
                    replaced.append(oldOrder[o])
                }
                o += 1
            } else {
                changed.append(n)
                replaced.append(nil)
            }
        }
        while o < oldOrder.count {
            removed.append(key(old[oldOrder[o]]))
            o += 1
        }
        self.changed = changed
        self.replaced = replaced
        self.removed = removed
    }

    @inlinable
    static func order<Row>(_ rows: [Row], _ key: (Row) -> Int64) -> [Int] {
        var index = 1
        while index < rows.count && key(rows[index - 1]) < key(rows[index]) { index += 1 }
        return index >= rows.count ? Array(rows.indices) : rows.indices.sorted { key(rows[$0]) < key(rows[$1]) }
    }
}
