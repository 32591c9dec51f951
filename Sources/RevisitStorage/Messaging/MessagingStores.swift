import Foundation
import RevisitCore
import SQLKit

/// A store's name, phone, zone and messaging rules: what rendering and the send rules need of it.
struct MessagingStoreInfo: Sendable {
    var id: Int64
    var name: String
    var phone: String
    var groupId: Int64?
    var zone: TimeZone
    var settings: MessagingSettings

    /// Every store's, read once per worker pass or request (a group has at most a few hundred stores).
    static func load(ids: Set<Int64>? = nil, on db: any SQLDatabase) async throws -> [Int64: MessagingStoreInfo] {
        var filter: SQLQueryString = ""
        if let ids {
            if ids.isEmpty { return [:] }
            filter = " WHERE s.id IN (\(binds: Array(ids)))"
        }
        let rows = try await db.raw(
            """
            SELECT s.id, s.name, s.phone, s.group_id, s.time_zone, m.settings FROM stores s
            LEFT JOIN messaging_settings m ON m.store_id = s.id
            """ + filter
        ).all()
        var stores: [Int64: MessagingStoreInfo] = [:]
        let decoder = JSONDecoder()
        for row in rows {
            let id = try row.int64("id")
            let settings =
                try row.optionalString("settings").map {
                    try decoder.decode(MessagingSettings.self, from: Data($0.utf8))
                } ?? MessagingSettings()
            stores[id] = MessagingStoreInfo(
                id: id, name: try row.string("name"), phone: try row.string("phone"),
                groupId: try row.optionalInt64("group_id"),
                zone: TimeZone(identifier: try row.string("time_zone")) ?? TimeZone(identifier: Store.defaultTimeZone)!,
                settings: settings)
        }
        return stores
    }

    /// The first instant of the store-local calendar month `now` falls in: the frequency cap's window.
    func monthStart(_ now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
    }
}
