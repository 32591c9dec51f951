/// Indexes a first load builds after its rows instead of row by row (`DeferredIndexes`), each with the
/// statement that creates it, so a load that was killed half-way has them rebuilt at the next start.
extension Migration {
    static let m0014DeferredIndexes = Migration(version: 14, name: "deferred indexes") { _ in
        ["CREATE TABLE deferred_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL)"]
    }
}
