import Foundation
import RevisitCore
import RevisitStorage
import Testing

@testable import RevisitWeb

@Suite struct TranslationTests {
    let localizer = try! Localizer.load(from: WebResources.directory.appendingPathComponent("i18n"))

    @Test func bothLanguagesHaveTheSameKeys() {
        let zh = Set(localizer.tables[.zhCN]!.keys)
        let en = Set(localizer.tables[.en]!.keys)
        #expect(zh.subtracting(en).sorted() == [], "missing in en.json")
        #expect(en.subtracting(zh).sorted() == [], "missing in zh-CN.json")
    }

    @Test func everyErrorCodeAndRoleHasText() {
        for language in Language.allCases {
            let table = localizer.tables[language]!
            for code in ErrorCode.allCases { #expect(table["error.\(code.rawValue)"] != nil, "error.\(code.rawValue)") }
            for role in Role.allCases { #expect(table[role.labelKey] != nil, "\(role.labelKey)") }
        }
    }

    /// Templates read keys as a tree (`t.import.kind`): a key that is also the start of others
    /// (`import.kind.customers`) would show as a dictionary on the page.
    @Test func noKeyIsAlsoTheParentOfOthers() {
        let keys = Set(localizer.tables[.zhCN]!.keys)
        let parents = keys.filter { key in keys.contains { $0.hasPrefix(key + ".") } }
        #expect(parents.sorted() == [])
    }

    /// Every `{{t.…}}` in a template and every key literal in the web code must exist.
    @Test func everyKeyUsedExists() throws {
        let keys = Set(localizer.tables[.zhCN]!.keys)
        var used: Set<String> = []
        let resources = WebResources.directory
        let templates = FileManager.default.enumerator(atPath: resources.appendingPathComponent("templates").path)!
        let templatePattern = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([A-Za-z_.\-]+)"#)
        for case let file as String in templates where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: resources.appendingPathComponent("templates/\(file)"), encoding: .utf8)
            for match in templatePattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../Sources/RevisitWeb"
        ).standardized
        let literalPattern = try NSRegularExpression(
            pattern: #""((?:nav|home|login|store|flash|admin|account|language|field|audit|common|error)\.[a-z_.]+)""#)
        for case let file as String in FileManager.default.enumerator(atPath: sources.path)!
        where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in literalPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(used.count > 50)
        #expect(used.subtracting(keys).sorted() == [], "keys used but not translated")
    }

    @Test func placeholdersAreFilledAndLeftoversDropped() {
        let error = RevisitError(.validation, code: .tooLong, field: "name", args: ["max": "100"])
        #expect(localizer.message(for: error, .en) == "Name is too long: at most 100 characters.")
        #expect(localizer.message(for: error, .zhCN) == "“名称”过长，最多 100 个字符。")
        #expect(
            localizer.message(for: RevisitError(.badRequest, code: .malformedJSON), .en)
                == "The request body is not valid JSON.")
    }
}
