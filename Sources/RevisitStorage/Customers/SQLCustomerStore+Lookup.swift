import Foundation
import RevisitCore
import SQLKit

extension SQLCustomerStore {
    /// On PostgreSQL the screen pop is one statement: the caller's customers with their phones, contacts, store code,
    /// vehicles and newest interactions, the nested lists built as JSON by the engine. A telephone system
    /// asks this on every ring; each extra round trip to the database cost more than the query itself.
    public func lookup(phone: PhoneNumber, scope: Scope) async throws -> [ScreenPop] {
        guard !phone.digits.isEmpty else { return [] }
        if let reader = database.sqliteReader { return try Self.lookup(phone: phone, scope: scope, reader: reader) }
        let json = JSONDialect(database.engine)
        let vehicle = json.object(SQLVehicleStore.columns, alias: "v")
        let interaction = json.object(Self.interactionColumns, alias: "i")
        let query: SQLQueryString =
            """
            WITH hits AS (
                SELECT DISTINCT c.store_id, COALESCE(c.merged_into_id, c.id) AS id FROM customer_phones p
                JOIN customers c ON c.store_id = p.store_id AND c.id = p.customer_id
                WHERE p.digits = \(bind: phone.digits) AND
            """ + " " + scope.storeFilter("p.store_id")
                + """
                     LIMIT \(bind: Int64(ScreenPop.maxMatches))
                )
                SELECT c.*, s.code AS store_code,
                    (SELECT \(unsafeRaw: json.array("\(json.tuple)(p.digits, p.kind, p.is_primary)", orderBy: "p.position"))
                        FROM customer_phones p WHERE p.store_id = c.store_id AND p.customer_id = c.id) AS phones_json,
                    (SELECT \(unsafeRaw: json.array("\(json.tuple)(k.name, k.title, k.phone)", orderBy: "k.position"))
                        FROM customer_contacts k WHERE k.store_id = c.store_id AND k.customer_id = c.id) AS contacts_json,
                    (SELECT \(unsafeRaw: json.array(vehicle, orderBy: "v.id"))
                        FROM vehicles v WHERE v.store_id = c.store_id AND v.owner_customer_id = c.id) AS vehicles_json,
                    (SELECT \(unsafeRaw: json.array(interaction, orderBy: "i.at DESC, i.id DESC"))
                        FROM (SELECT * FROM interactions WHERE store_id = c.store_id AND customer_id = c.id
                              ORDER BY at DESC, id DESC LIMIT \(bind: Int64(ScreenPop.interactionCount))) i) AS interactions_json
                FROM hits JOIN customers c ON c.store_id = hits.store_id AND c.id = hits.id
                JOIN stores s ON s.id = c.store_id
                ORDER BY c.id
                """
        let rows = try await database.all(query)
        let decoder = JSONDecoder()
        return try rows.map { row in
            let phones = try decoder.decode([JSONTuple].self, from: Data(try row.string("phones_json").utf8)).map {
                CustomerPhone(
                    number: PhoneNumber(try $0.string(0)), kind: PhoneKind(rawValue: try $0.string(1)) ?? .other,
                    primary: try $0.int(2) != 0)
            }
            let contacts = try decoder.decode([JSONTuple].self, from: Data(try row.string("contacts_json").utf8)).map {
                CustomerContact(
                    name: try $0.string(0), title: try $0.string(1),
                    phone: try $0.optionalString(2).map(PhoneNumber.init))
            }
            let vehicles = try decoder.decode([ScalarRow].self, from: Data(try row.string("vehicles_json").utf8))
                .map(SQLVehicleStore.vehicle)
            let interactions = try decoder.decode(
                [ScalarRow].self, from: Data(try row.string("interactions_json").utf8)
            )
            .map(Self.interaction)
            return ScreenPop(
                customer: try CustomerRows.customer(row, phones: phones, contacts: contacts),
                storeCode: try row.string("store_code"), vehicles: vehicles, interactions: interactions)
        }
    }

    /// On SQLite the same answer comes from a few small statements that `SQLiteReader` keeps prepared:
    /// there is no network round trip to save, and preparing the one large statement anew on every call
    /// cost more than running all of these.
    static func lookup(phone: PhoneNumber, scope: Scope, reader: SQLiteReader) throws -> [ScreenPop] {
        let filter = scope.storeFilterClause("p.store_id")
        return try reader.read { db in
            // Deduplicated and ordered here: DISTINCT or ORDER BY would make SQLite build and drop a
            // temporary b-tree for a handful of rows on every call.
            var hits: [(storeId: Int64, id: Int64)] = []
            try db.rows(
                """
                SELECT c.store_id, COALESCE(c.merged_into_id, c.id) AS id FROM customer_phones p
                JOIN customers c ON c.store_id = p.store_id AND c.id = p.customer_id
                WHERE p.digits = ? AND \(filter.sql) LIMIT \(ScreenPop.maxMatches * 4)
                """, [.string(phone.digits)] + filter.binds.map { .int($0) }
            ) { row in
                let hit = (try row.int64("store_id"), try row.int64("id"))
                if !hits.contains(where: { $0 == hit }) { hits.append(hit) }
            }
            hits = Array(hits.sorted { $0.id < $1.id }.prefix(ScreenPop.maxMatches))
            return try hits.compactMap { hit -> ScreenPop? in
                let key: [SQLScalar] = [.int(hit.storeId), .int(hit.id)]
                var found: (row: ScalarRow, storeCode: String)?
                try db.rows(
                    """
                    SELECT c.*, s.code AS store_code FROM customers c JOIN stores s ON s.id = c.store_id
                    WHERE c.store_id = ? AND c.id = ?
                    """, key
                ) { found = ($0, try $0.string("store_code")) }
                guard let found else { return nil }
                var phones: [CustomerPhone] = []
                try db.rows(
                    "SELECT digits, kind, is_primary FROM customer_phones WHERE store_id = ? AND customer_id = ? ORDER BY position",
                    key
                ) {
                    phones.append(
                        CustomerPhone(
                            number: PhoneNumber(try $0.string("digits")),
                            kind: PhoneKind(rawValue: try $0.string("kind")) ?? .other,
                            primary: try $0.bool("is_primary")))
                }
                var contacts: [CustomerContact] = []
                if try found.row.string("type") != CustomerType.individual.rawValue {
                    try db.rows(
                        "SELECT name, title, phone FROM customer_contacts WHERE store_id = ? AND customer_id = ? ORDER BY position",
                        key
                    ) {
                        contacts.append(
                            CustomerContact(
                                name: try $0.string("name"), title: try $0.string("title"),
                                phone: try $0.optionalString("phone").map(PhoneNumber.init)))
                    }
                }
                var vehicles: [Vehicle] = []
                try db.rows("SELECT * FROM vehicles WHERE store_id = ? AND owner_customer_id = ? ORDER BY id", key) {
                    vehicles.append(try SQLVehicleStore.vehicle($0))
                }
                var interactions: [Interaction] = []
                try db.rows(
                    """
                    SELECT * FROM interactions WHERE store_id = ? AND customer_id = ?
                    ORDER BY at DESC, id DESC LIMIT \(ScreenPop.interactionCount)
                    """, key
                ) { interactions.append(try Self.interaction($0)) }
                return ScreenPop(
                    customer: try CustomerRows.customer(found.row, phones: phones, contacts: contacts),
                    storeCode: found.storeCode, vehicles: vehicles, interactions: interactions)
            }
        }
    }
}
