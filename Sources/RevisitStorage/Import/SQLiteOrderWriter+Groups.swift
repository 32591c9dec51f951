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

    /// Keeps with each order the hash of the rows it was read from (`RepairOrderImport.source`, which
    /// the insert already wrote), and forgets it once anything else changed the order or its lines: a
    /// lines file, a later run of its rows in the file, or its first rows read with a bad one among them.
    /// A hash kept therefore always means that reading those rows again would change nothing.
    func keepSources(
        _ records: [RepairOrderImport], _ groups: OrderGroups, orders: [Order?], outcomes: [Outcome?],
        lines: [Outcome?]
    ) throws {
        var wanted = [Int64?](repeating: nil, count: groups.count)
        var changedOtherwise = [Bool](repeating: false, count: groups.count)
        for position in records.indices {
            let group = groups.of[position]
            if let source = records[position].source {
                if wanted[group] == nil { wanted[group] = source }
            } else if let outcome = lines[position], outcome != .unchanged {
                changedOtherwise[group] = true
            }
        }
        let statement = try db.statement("UPDATE repair_orders SET import_src = ? WHERE store_id = ? AND id = ?")
        for group in 0..<groups.count {
            guard let order = orders[group] else { continue }
            let orderChanged = outcomes[group].map { $0 != .unchanged } ?? false
            let kept: Int64?
            if changedOtherwise[group] || (orderChanged && wanted[group] == nil) {
                kept = nil
            } else if let source = wanted[group] {
                kept = source
            } else {
                continue
            }
            if kept != order.source { try db.run(statement, [.of(kept), .int(storeId), .int(order.id)]) }
        }
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
