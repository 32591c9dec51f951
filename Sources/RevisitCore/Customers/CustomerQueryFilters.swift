import Foundation

/// The customer list's filters as name=value pairs (`churnStage=at_risk`), shared by the CLI's
/// `--filter`, bulk sends (which keep the pairs they were made from) and the list's query parameters.
public enum CustomerQueryFilters {
    public static let names = [
        "owner", "tag", "type", "consentSms", "consentCallback", "alert", "flag", "valueClass", "quadrant",
        "churnStage",
    ]

    /// The query the pairs describe; an unknown name or a bad value is refused, naming it.
    public static func query(_ filters: [String: String]) throws(RevisitError) -> CustomerQuery {
        var query = CustomerQuery()
        for (name, raw) in filters {
            let value = raw.trimmingCharacters(in: .whitespaces)
            if value.isEmpty { continue }
            func refuse() -> RevisitError {
                RevisitError(.validation, code: .invalidValue, field: name, args: ["value": value])
            }
            func flag() throws(RevisitError) -> Bool {
                switch value.lowercased() {
                case "1", "true", "yes": return true
                case "0", "false", "no": return false
                default: throw refuse()
                }
            }
            func parsed<T: RawRepresentable>(_ type: T.Type) throws(RevisitError) -> T where T.RawValue == String {
                guard let parsed = T(rawValue: value) else { throw refuse() }
                return parsed
            }
            switch name {
            case "owner":
                guard let id = Int64(value) else { throw refuse() }
                query.ownerId = id
            case "ownerTeam":
                guard let id = Int64(value) else { throw refuse() }
                query.ownerTeamId = id
            case "tag": query.tag = value
            case "type": query.type = try parsed(CustomerType.self)
            case "consentSms": query.consentSMS = try flag()
            case "consentCallback": query.consentCallback = try flag()
            case "alert": query.alertOnly = try flag()
            case "flag": query.flag = try parsed(DataFlag.self)
            case "valueClass": query.valueClass = try parsed(ValueClass.self)
            case "quadrant": query.quadrant = try parsed(Quadrant.self)
            case "churnStage": query.churnStage = try parsed(ChurnStage.self)
            default:
                throw RevisitError(
                    .validation, code: .invalidValue, field: "filter",
                    args: ["value": name, "allowed": names.joined(separator: ", ")])
            }
        }
        return query
    }

    /// The pairs a query's filters come from (the inverse of `query`), for keeping with a bulk send.
    public static func pairs(_ query: CustomerQuery) -> [String: String] {
        var pairs: [String: String] = [:]
        if let owner = query.ownerId { pairs["owner"] = String(owner) }
        if let team = query.ownerTeamId { pairs["ownerTeam"] = String(team) }
        if let tag = query.tag, !tag.isEmpty { pairs["tag"] = tag }
        if let type = query.type { pairs["type"] = type.rawValue }
        if let consent = query.consentSMS { pairs["consentSms"] = consent ? "1" : "0" }
        if let consent = query.consentCallback { pairs["consentCallback"] = consent ? "1" : "0" }
        if query.alertOnly { pairs["alert"] = "1" }
        if let flag = query.flag { pairs["flag"] = flag.rawValue }
        if let value = query.valueClass { pairs["valueClass"] = value.rawValue }
        if let quadrant = query.quadrant { pairs["quadrant"] = quadrant.rawValue }
        if let stage = query.churnStage { pairs["churnStage"] = stage.rawValue }
        return pairs
    }
}
