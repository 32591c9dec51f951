import Foundation
import RevisitCore

extension PostgresOrderWriter {
    /// What the statements need to know about the batch's rows among themselves, counted once here: as
    /// window functions over the staged rows (repeats, each order's line sums, its first rows) they took
    /// 50-55 ms of each 10,000-row batch's orders statement and as much of its lines statement.
    struct BatchShape {
        struct Order {
            /// A new order takes its amounts from these lines: some row has a line and no amounts, and no
            /// line number repeats in the order.
            var fromLines = false
            var labor: Int64 = 0
            var parts: Int64 = 0
            var total: Int64 = 0
            var cost: Int64 = 0
        }

        /// Each record's order, as a place in `orders`.
        var order: [Int] = []
        var orders: [Order] = []
        /// The rows that may stand for their order: its first in the batch, and its first that does not
        /// continue an order of an earlier batch (the one chosen when the order exists).
        var candidate: [Bool] = []
        /// The row's (order, line number) appears more than once in the batch.
        var repeated: [Bool] = []

        private struct LineKey: Hashable {
            let order: Int
            let lineNo: Int
        }

        init(_ records: [RepairOrderImport]) {
            var places: [String: Int] = [:]
            var fresh: Set<Int> = []
            // (order's place, line number) → first row: two integers, no string built per row.
            var keys: [LineKey: Int] = [:]
            var repeatedOrder: [Bool] = []
            var unpriced: [Bool] = []
            order.reserveCapacity(records.count)
            candidate.reserveCapacity(records.count)
            repeated = [Bool](repeating: false, count: records.count)
            for (seq, record) in records.enumerated() {
                var isCandidate = false
                let place: Int
                if let known = places[record.orderNo] {
                    place = known
                } else {
                    place = orders.count
                    places[record.orderNo] = place
                    orders.append(Order())
                    repeatedOrder.append(false)
                    unpriced.append(false)
                    isCandidate = true
                }
                if !record.continuesOrder, fresh.insert(place).inserted { isCandidate = true }
                order.append(place)
                candidate.append(isCandidate)
                guard let item = record.item else { continue }
                if let lineNo = item.lineNo {
                    let key = LineKey(order: place, lineNo: lineNo)
                    if let first = keys[key] {
                        repeated[first] = true
                        repeated[seq] = true
                        repeatedOrder[place] = true
                    } else {
                        keys[key] = seq
                    }
                    if record.laborFen == nil && record.partsFen == nil && record.totalFen == nil {
                        unpriced[place] = true
                    }
                }
                switch item.kind {
                case .labor: orders[place].labor += item.amountFen
                case .part: orders[place].parts += item.amountFen
                }
                orders[place].total += item.amountFen
                orders[place].cost += item.costFen
            }
            for place in orders.indices { orders[place].fromLines = unpriced[place] && !repeatedOrder[place] }
        }
    }
}
