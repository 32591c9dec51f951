import Foundation
import SQLKit

/// Column readers in the house encodings: instants as epoch milliseconds, flags as 0/1 integers,
/// so the same schema and the same rows work on both engines.
extension SQLRow {
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column: column, as: Int64?.self) }
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func bool(_ column: String) throws -> Bool { try int64(column) != 0 }
    func date(_ column: String) throws -> Date { Date(epochMilliseconds: try int64(column)) }
    func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map(Date.init(epochMilliseconds:))
    }
}

extension Date {
    init(epochMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000) }
    var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

extension Bool {
    var sqlInt: Int64 { self ? 1 : 0 }
}
