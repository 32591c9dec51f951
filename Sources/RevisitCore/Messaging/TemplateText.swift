import Foundation

/// The variables a template may use. A template naming anything else is refused when saved, so a typo
/// never reaches a customer as `{{custmerName}}`.
public enum TemplateVariable: String, Sendable, CaseIterable, Codable {
    case customerName
    /// 先生 / 女士 from the customer's gender; empty when unknown or a company.
    case customerTitle
    case plate
    case vin
    case vehicleModel
    case dueDate
    case reason
    case storeName
    case storePhone
    case advisorName
    case appointmentTime
    /// What a greeting greets: 中秋节快乐, 生日快乐, ….
    case occasion
}

/// The values one message is rendered with; a variable without a value renders as nothing.
public typealias TemplateValues = [TemplateVariable: String]

/// A template body split into literal text and `{{variable}}` references, checked once.
public struct TemplateText: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case text(String)
        case variable(TemplateVariable)
    }

    public let pieces: [Piece]

    /// Parses `body`; an unknown variable, an empty `{{}}` or an unclosed `{{` is refused with the offending text.
    public init(_ body: String) throws(RevisitError) {
        var pieces: [Piece] = []
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                throw RevisitError(
                    .validation, code: .templateSyntax, field: "body",
                    args: ["text": String(rest[open.lowerBound...].prefix(20))])
            }
            let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let variable = TemplateVariable(rawValue: name) else {
                throw RevisitError(
                    .validation, code: .templateUnknownVariable, field: "body",
                    args: [
                        "name": name, "allowed": TemplateVariable.allCases.map(\.rawValue).joined(separator: ", "),
                    ])
            }
            pieces.append(.variable(variable))
            rest = after[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    /// A body that was checked when it was saved; anything unparsable is kept as literal text.
    public init(checked body: String) {
        self = (try? TemplateText(body)) ?? TemplateText(pieces: [.text(body)])
    }

    private init(pieces: [Piece]) { self.pieces = pieces }

    public var variables: [TemplateVariable] {
        pieces.compactMap { if case .variable(let variable) = $0 { variable } else { nil } }
    }

    public func render(_ values: TemplateValues) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .variable(let variable): out += values[variable] ?? ""
            }
        }
        return out
    }
}

/// The opt-out hint every marketing message ends with (DOMAIN §6), added by the system, never typed.
public enum MessageText {
    public static func optOutHint(_ language: Language) -> String {
        switch language {
        case .zhCN: "回T退订"
        case .en: "Reply T to opt out"
        }
    }

    public static func compose(body: String, kind: MessageKind, language: Language) -> String {
        guard kind == .marketing else { return body }
        let separator = language == .en ? " " : ""
        return body + separator + optOutHint(language)
    }

    /// The body without a hint the author typed at its end (either language's), so it is not sent twice.
    public static func strippingOptOutHint(_ body: String) -> String {
        var text = body
        for language in Language.allCases {
            let hint = optOutHint(language)
            if text.hasSuffix(hint) {
                text = String(text.dropLast(hint.count)).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return text
    }
}

/// How many SMS a text costs. Texts with only GSM-7 characters go 160 to a message (153 per part when
/// split); anything else, Chinese included, goes as UCS-2: 70 characters, 67 per part.
public struct SMSSegments: Sendable, Equatable, Codable {
    public var characters: Int
    public var parts: Int
    public var unicode: Bool

    public init(_ text: String) {
        let unicode = !text.unicodeScalars.allSatisfy(Self.isGSM)
        // UCS-2 counts UTF-16 units (an emoji is two); GSM-7 counts characters.
        let characters = unicode ? text.utf16.count : text.unicodeScalars.count
        let single = unicode ? 70 : 160
        let part = unicode ? 67 : 153
        self.characters = characters
        self.unicode = unicode
        self.parts = characters == 0 ? 0 : characters <= single ? 1 : (characters + part - 1) / part
    }

    /// The GSM 03.38 basic set, close enough: printable ASCII without the few it lacks, and line breaks.
    private static func isGSM(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0D: true
        case 0x20...0x7E: !"`^{}[]~\\|".unicodeScalars.contains(scalar)
        default: false
        }
    }
}
