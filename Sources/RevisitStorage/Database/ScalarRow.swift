import Foundation
import SQLKit

/// A row held as plain values: a JSON object built by the database (see `JSONDialect`) or a row read by
/// `SQLiteReader`, read through the same column readers as an SQLKit row so one mapper serves all.
struct ScalarRow: SQLRow, Decodable, PositionalScalars {
    /// Column positions, shared by every row of one statement; only the values are per row.
    let columns: [String: Int]
    let values: [SQLScalar]

    init(columns: [String: Int], values: [SQLScalar]) {
        self.columns = columns
        self.values = values
    }

    init(from decoder: any Decoder) throws {
        let object = try decoder.singleValueContainer().decode([String: SQLScalar].self)
        var columns: [String: Int] = [:]
        var values: [SQLScalar] = []
        for (name, value) in object {
            columns[name] = values.count
            values.append(value)
        }
        self.init(columns: columns, values: values)
    }

    private func value(_ column: String) -> SQLScalar { columns[column].map { values[$0] } ?? .null }

    var allColumns: [String] { Array(columns.keys) }
    func contains(column: String) -> Bool { columns[column] != nil }
    func decodeNil(column: String) throws -> Bool { value(column) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try value(column).value(as: type, column: column)
    }
}

/// A JSON array of scalars, read by position.
struct JSONTuple: Decodable, PositionalScalars {
    let values: [SQLScalar]

    init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([SQLScalar].self)
    }
}

/// Values read by position.
protocol PositionalScalars {
    var values: [SQLScalar] { get }
}

extension PositionalScalars {
    func at(_ index: Int) -> SQLScalar { index < values.count ? values[index] : .null }
    func string(_ index: Int) throws -> String { try at(index).value(as: String.self, column: "#\(index)") }
    func optionalString(_ index: Int) throws -> String? { try at(index).value(as: String?.self, column: "#\(index)") }
    func int(_ index: Int) throws -> Int64 { try at(index).value(as: Int64.self, column: "#\(index)") }
    func optionalInt(_ index: Int) throws -> Int64? {
        switch at(index) {
        case .null: nil
        case .int(let value): value
        case let other: try other.value(as: Int64?.self, column: "#\(index)")
        }
    }
}

enum SQLScalar: Decodable, Equatable, Sendable {
    case null
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)

    static func of(_ value: String?) -> SQLScalar { value.map { .string($0) } ?? .null }
    static func of(_ value: Int64?) -> SQLScalar { value.map { .int($0) } ?? .null }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    func value<D>(as type: D.Type, column: String) throws -> D {
        let boxed: Any? =
            switch self {
            case .null: nil
            case .int(let value): value
            case .double(let value): value
            case .string(let value): value
            // PostgreSQL writes boolean columns as JSON booleans; the house encoding is 0/1.
            case .bool(let value): value ? Int64(1) : Int64(0)
            }
        if let boxed, let value = boxed as? D { return value }
        if boxed == nil, let optional = D.self as? any ExpressibleByNilLiteral.Type {
            return optional.init(nilLiteral: ()) as! D
        }
        throw DecodingError.typeMismatch(
            D.self, .init(codingPath: [], debugDescription: "column \(column) is \(self), not \(D.self)"))
    }
}
