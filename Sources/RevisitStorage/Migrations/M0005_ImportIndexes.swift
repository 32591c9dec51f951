/// Repair orders lose their indexes on the DMS keys they point at (`customer_no`, `vin_ref`). Only the
/// link-up after an import read them, and it finds the unlinked orders through the customer and vehicle
/// indexes (whose leading `NULL` ids are exactly the unlinked ones) and probes customers and vehicles by
/// their own unique keys. Those two random-order text indexes were most of the cost of inserting an order:
/// the 285,000 orders of the 1,000,000-line benchmark file took SQLite 3.5 s with them, 1.3 s without.
extension Migration {
    static let m0005ImportIndexes = Migration(version: 5, name: "import indexes") { _ in
        ["DROP INDEX repair_orders_customer_no", "DROP INDEX repair_orders_vin_ref"]
    }
}
