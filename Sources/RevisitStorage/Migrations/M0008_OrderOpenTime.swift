/// The time of day an order was opened, in minutes after store-local midnight, when the DMS gives one:
/// the workshop's traffic by hour of day (DOMAIN §15) needs it. Older orders and files without times
/// leave it NULL.
extension Migration {
    static let m0008OrderOpenTime = Migration(version: 8, name: "order open time") { _ in
        ["ALTER TABLE repair_orders ADD COLUMN opened_minute BIGINT"]
    }
}
