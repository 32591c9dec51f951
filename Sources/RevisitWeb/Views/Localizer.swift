import Foundation
import RevisitCore

/// All UI text, from Resources/i18n/{zh-CN,en}.json. Keys are flat ("login.title"); templates see them
/// nested (`{{t.login.title}}`).
public struct Localizer: Sendable {
    public let tables: [Language: [String: String]]
    private let nested: [Language: NestedTable]

    /// A Sendable wrapper for the nested dictionary Mustache reads.
    struct NestedTable: @unchecked Sendable {
        let value: [String: Any]
    }

    public init(tables: [Language: [String: String]]) {
        self.tables = tables
        var nested: [Language: NestedTable] = [:]
        for (language, table) in tables { nested[language] = NestedTable(value: Self.nest(table)) }
        self.nested = nested
    }

    public static func load(from directory: URL) throws -> Localizer {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(language.rawValue).json"))
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return Localizer(tables: tables)
    }

    /// The text for `key` with `{name}` placeholders filled; the key itself when missing, so a gap is
    /// visible on the page (and a test fails on it).
    public func text(_ key: String, _ language: Language, _ args: [String: String] = [:]) -> String {
        var text = tables[language]?[key] ?? tables[.default]?[key] ?? key
        for (name, value) in args { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        // A placeholder nobody filled reads better as nothing than as "{detail}".
        return text.replacingOccurrences(of: "\\{[A-Za-z]+\\}", with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
    }

    /// A recorded error (an import problem, a run's refusal) as its code and arguments.
    public func message(code: ErrorCode, args: [String: String], _ language: Language) -> String {
        message(for: RevisitError(.validation, code: code, args: args), language)
    }

    public func message(for error: RevisitError, _ language: Language) -> String {
        var args = error.args
        // "phones[1]" and "lines[0].name" are labelled by their list's name.
        if let field = error.field {
            args["field"] = text("field.\(field.prefix { $0 != "[" && $0 != "." })", language)
        }
        if let retryAfter = error.retryAfter { args["minutes"] = String(max(1, (retryAfter + 59) / 60)) }
        return text("error.\(error.code.rawValue)", language, args)
    }

    func templateTable(_ language: Language) -> [String: Any] { nested[language]?.value ?? [:] }

    static func nest(_ flat: [String: String]) -> [String: Any] {
        var root: [String: Any] = [:]
        for (key, value) in flat {
            insert(value, path: key.split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: String, path: ArraySlice<String>, into node: inout [String: Any]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            node[head] = value
            return
        }
        var child = node[head] as? [String: Any] ?? [:]
        insert(value, path: path.dropFirst(), into: &child)
        node[head] = child
    }
}
