/// Finds a row's slot (its position in a list of ids read in order) by id. A store's ids are mostly one
/// run of numbers, so an array indexed by id finds the slot without hashing; ids spread thinner than
/// one in eight fall back to a dictionary.
struct SQLiteSlots {
    private let lowest: Int64
    private let dense: [Int32]
    private let sparse: [Int64: Int32]

    init(_ ids: [Int64]) {
        lowest = ids.min() ?? 0
        let span = (ids.max() ?? -1) - lowest + 1
        if span <= Int64(ids.count) * 8 + 1_024 {
            var dense = [Int32](repeating: -1, count: Int(max(span, 0)))
            for (index, id) in ids.enumerated() { dense[Int(id - lowest)] = Int32(index) }
            self.dense = dense
            sparse = [:]
        } else {
            dense = []
            sparse = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Int32($0)) })
        }
    }

    func slot(_ id: Int64) -> Int? {
        if sparse.isEmpty {
            let offset = id - lowest
            guard offset >= 0, offset < Int64(dense.count) else { return nil }
            let slot = dense[Int(offset)]
            return slot >= 0 ? Int(slot) : nil
        }
        return sparse[id].map(Int.init)
    }
}
