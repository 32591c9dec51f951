import Foundation
import RevisitCore

/// Keyset-pagination cursors: the sort key of the last row, opaque to clients (base64url JSON).
enum Cursor {
    static func encode(_ values: [String]) -> String {
        let data = try! JSONEncoder().encode(values)
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String, count: Int) throws(RevisitError) -> [String] {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let values = try? JSONDecoder().decode([String].self, from: data),
            values.count == count
        else { throw RevisitError(.badRequest, code: .invalidCursor, field: "cursor") }
        return values
    }
}

extension String {
    /// Reversed, for "ends with" searches as index range scans.
    var reversedText: String { String(reversed()) }
}

extension Database {
    /// `COLLATE …` for byte-wise comparisons, matching the indexes built with `DDL.bytewise`.
    var bytewise: String { DDL(engine: engine).bytewise }
}

/// The upper bound of a prefix range: every string starting with the prefix sorts below it byte-wise.
let prefixRangeEnd = "\u{10FFFF}"
