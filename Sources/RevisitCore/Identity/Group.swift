import Foundation

/// A dealer group or manufacturer above stores. Group analysts read all of its stores.
public struct Group: Sendable, Equatable, Codable {
    public var id: Int64
    public var code: String
    public var name: String

    public init(id: Int64, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

public struct GroupDraft: Sendable, Equatable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public func validated() throws(RevisitError) -> GroupDraft {
        GroupDraft(
            code: try FieldRules.code(code, field: "code"),
            name: try FieldRules.text(name, field: "name", max: 100))
    }
}
