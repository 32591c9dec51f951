import Foundation
import RevisitCore
import SQLKit

extension PostgresOrderWriter {
    /// The hashes to keep with the batch's orders, as `SQLiteOrderWriter.keepSources` decides them: an
    /// order's first rows' hash (`RepairOrderImport.source`), forgotten when a row without one changed its
    /// lines, or changed the order itself. Orders inserted here already hold their first row's.
    struct Sources {
        var keep: [(number: String, source: Int64)] = []
        var forget: [String] = []
    }

    static func sources(
        _ records: [RepairOrderImport], written: WrittenOrders, lines: [Int: RowWriter.Outcome]
    ) -> Sources {
        var order: [String] = []
        var first: [String: Int64?] = [:]
        var wanted: [String: Int64] = [:]
        var changedOtherwise: Set<String> = []
        for record in records {
            let number = record.orderNo
            if first[number] == nil {
                first[number] = .some(record.source)
                order.append(number)
            }
            if let source = record.source {
                if wanted[number] == nil { wanted[number] = source }
            } else if let outcome = lines[record.line], outcome != .unchanged {
                changedOtherwise.insert(number)
            }
        }
        var sources = Sources()
        for number in order {
            let outcome = written.outcomes[number]
            if changedOtherwise.contains(number) || (outcome != nil && wanted[number] == nil) {
                sources.forget.append(number)
            } else if let source = wanted[number], outcome != .inserted || first[number] != .some(source) {
                sources.keep.append((number, source))
            }
        }
        return sources
    }

    /// Writes `sources`; an order already holding what it should is not written.
    func keepSources(_ sources: Sources, on db: any SQLDatabase) async throws {
        if !sources.keep.isEmpty {
            try await db.raw(
                """
                UPDATE repair_orders o SET import_src = n.source
                FROM unnest(\(bind: sources.keep.map(\.number)), \(bind: sources.keep.map(\.source))) AS n(order_no, source)
                WHERE o.store_id = \(bind: storeId) AND o.order_no = n.order_no COLLATE "C"
                    AND o.import_src IS DISTINCT FROM n.source
                """
            ).run()
        }
        if !sources.forget.isEmpty {
            try await db.raw(
                """
                UPDATE repair_orders o SET import_src = NULL
                FROM unnest(\(bind: sources.forget)) AS n(order_no)
                WHERE o.store_id = \(bind: storeId) AND o.order_no = n.order_no COLLATE "C" AND o.import_src IS NOT NULL
                """
            ).run()
        }
    }
}
