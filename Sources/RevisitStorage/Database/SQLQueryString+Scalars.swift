import Foundation
import SQLKit

extension SQLQueryString {
    /// A statement written with `?` placeholders (as SQLite's direct connection runs it) bound through
    /// SQLKit, so one text serves both. The text must not contain a literal `?`. A NULL is written as the
    /// literal: bound, PostgreSQL would take it for text whatever the column.
    init(_ text: String, binds: [SQLScalar]) {
        let parts = text.split(separator: "?", omittingEmptySubsequences: false)
        self.init(String(parts[0]))
        for (part, value) in zip(parts.dropFirst(), binds) {
            self += value == .null ? "NULL" : "\(bind: value.encodable)"
            self += SQLQueryString(String(part))
        }
    }
}

extension SQLScalar {
    /// The value as SQLKit binds it.
    var encodable: any Encodable & Sendable {
        switch self {
        case .null: String?.none
        case .int(let value): value
        case .double(let value): value
        case .string(let value): value
        case .bool(let value): value
        }
    }
}
