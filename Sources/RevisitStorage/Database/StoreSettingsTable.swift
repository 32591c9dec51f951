import Foundation
import SQLKit

/// The per-store settings tables (segment, reminder and assignment settings): one JSON document per
/// store; without one the caller's defaults apply.
enum StoreSettingsTable {
    static func load<T: Decodable>(_ table: String, storeId: Int64, from database: Database) async throws -> T? {
        let row = try await database.all(
            "SELECT settings FROM \(unsafeRaw: table) WHERE store_id = \(bind: storeId)"
        ).first
        guard let text = try row?.string("settings") else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// Replaces the store's document, on the caller's transaction.
    static func save<T: Encodable>(
        _ value: T, _ table: String, storeId: Int64, at: Date, on db: any SQLDatabase
    )
        async throws
    {
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE store_id = \(bind: storeId)").run()
        try await db.raw(
            """
            INSERT INTO \(unsafeRaw: table) (store_id, settings, updated_at)
            VALUES (\(bind: storeId), \(bind: text), \(bind: at.epochMilliseconds))
            """
        ).run()
    }
}
