/// A repair order's `import_src`: the hash of the file rows it was last read from (`OrderSourceHash`),
/// so re-importing an unchanged export skips reading those rows. NULL when unknown, or when something
/// other than those rows changed the order's lines since.
extension Migration {
    static let m0019OrderSources = Migration(version: 19, name: "order_sources") { _ in
        ["ALTER TABLE repair_orders ADD COLUMN import_src BIGINT"]
    }
}
