import Foundation
import SQLKit

/// The engines' JSON builders differ only in name: queries that return nested lists as one JSON
/// column spell them through this.
struct JSONDialect {
    let engine: DatabaseEngine

    init(_ engine: DatabaseEngine) { self.engine = engine }

    /// A JSON array literal of values: `json_array(a, b)` / `json_build_array(a, b)`.
    var tuple: String { engine == .sqlite ? "json_array" : "json_build_array" }

    /// An object with the named columns of `alias`, keyed by column name.
    func object(_ columns: [String], alias: String) -> String {
        let function = engine == .sqlite ? "json_object" : "json_build_object"
        return function + "(" + columns.map { "'\($0)', \(alias).\($0)" }.joined(separator: ", ") + ")"
    }

    /// The aggregate of `element` over a subquery's rows, in order; `[]` when there are none.
    func array(_ element: String, orderBy: String) -> String {
        switch engine {
        case .sqlite: "json_group_array(\(element) ORDER BY \(orderBy))"
        case .postgresql: "COALESCE(json_agg(\(element) ORDER BY \(orderBy)), '[]'::json)::text"
        }
    }
}
