import Foundation
import RevisitCore

extension SQLiteOrderWriter {
    /// A batch's rows by repair order. A flattened file holds an order's rows together, so a row joins
    /// the group of the row before it when they name the same order, and only the first row of each run
    /// finds its group by number: the writer then keeps what it knows of an order in arrays by group, where
    /// looking things up by order number for every row cost a tenth of an import (hashing the number).
    struct OrderGroups {
        /// The group of each row, by position in the batch.
        private(set) var of: [Int] = []
        /// Each group's order number, in order of first appearance.
        private(set) var numbers: [String] = []
        /// Groups whose rows came in more than one run (the order's rows were not together).
        private(set) var split: [Bool] = []
        private(set) var index: [String: Int] = [:]

        init(_ records: [RepairOrderImport]) {
            of.reserveCapacity(records.count)
            for position in records.indices {
                let number = records[position].orderNo
                if position > 0, number == records[position - 1].orderNo {
                    of.append(of[position - 1])
                } else if let group = index[number] {
                    of.append(group)
                    split[group] = true
                } else {
                    index[number] = numbers.count
                    of.append(numbers.count)
                    numbers.append(number)
                    split.append(false)
                }
            }
        }

        var count: Int { numbers.count }
    }

    /// Labor, parts, total and cost from the batch's lines, by group, of each order that a row with a line
    /// but no order amounts names. An order whose rows are split, or that repeats a line number (the last
    /// row wins when written), is left out and summed by the database once its lines are written.
    static func lineSums(_ records: [RepairOrderImport], _ groups: OrderGroups) -> [Sums?] {
        var sums = [Sums](repeating: Sums(), count: groups.count)
        var unpriced = [Bool](repeating: false, count: groups.count)
        var left = groups.split
        // Line numbers of the current run; a group in several runs is left out anyway.
        var current = -1
        var lineNumbers: [Int] = []
        for position in records.indices {
            let record = records[position]
            guard let item = record.item, let lineNo = item.lineNo else { continue }
            let group = groups.of[position]
            if group != current {
                current = group
                lineNumbers.removeAll(keepingCapacity: true)
            }
            if record.laborFen == nil && record.partsFen == nil && record.totalFen == nil { unpriced[group] = true }
            if lineNumbers.contains(lineNo) { left[group] = true }
            lineNumbers.append(lineNo)
            switch item.kind {
            case .labor: sums[group].labor += item.amountFen
            case .part: sums[group].parts += item.amountFen
            }
            sums[group].total += item.amountFen
            sums[group].cost += item.costFen
        }
        return (0..<groups.count).map { unpriced[$0] && !left[$0] ? sums[$0] : nil }
    }

    /// Each row counts once: as its line's outcome, raised to its order's for the order's first row.
    static func count(
        _ records: [RepairOrderImport], _ groups: OrderGroups, orders: [Outcome?], lines: [Outcome?]
    ) -> ImportCounts {
        var counts = ImportCounts()
        var counted = [Bool](repeating: false, count: groups.count)
        for position in records.indices {
            var outcome = lines[position] ?? .unchanged
            let group = groups.of[position]
            if !counted[group] {
                counted[group] = true
                if let order = orders[group] { outcome = max(outcome, order) }
            }
            switch outcome {
            case .inserted: counts.inserted += 1
            case .updated: counts.updated += 1
            case .unchanged: counts.unchanged += 1
            }
        }
        return counts
    }
}
