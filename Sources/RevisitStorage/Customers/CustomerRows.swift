import Foundation
import RevisitCore
import SQLKit

/// Reading and writing a customer's rows: the customer, its phones and contacts.
enum CustomerRows {
    static func load(ids: [Int64], on db: any SQLDatabase) async throws -> [Customer] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.raw("SELECT * FROM customers WHERE id IN (\(binds: ids))").all()
        let phoneRows = try await db.raw(
            "SELECT customer_id, digits, kind, is_primary FROM customer_phones WHERE customer_id IN (\(binds: ids)) ORDER BY position"
        ).all()
        // Only companies and government units have contacts; most loads skip the query.
        let organisations = try rows.filter { try $0.string("type") != CustomerType.individual.rawValue }.map {
            try $0.int64("id")
        }
        let contactRows =
            organisations.isEmpty
            ? []
            : try await db.raw(
                "SELECT customer_id, name, title, phone FROM customer_contacts WHERE customer_id IN (\(binds: organisations)) ORDER BY position"
            ).all()
        var phones: [Int64: [CustomerPhone]] = [:]
        for row in phoneRows {
            phones[try row.int64("customer_id"), default: []].append(
                CustomerPhone(
                    number: PhoneNumber(try row.string("digits")),
                    kind: PhoneKind(rawValue: try row.string("kind")) ?? .other, primary: try row.bool("is_primary")))
        }
        var contacts: [Int64: [CustomerContact]] = [:]
        for row in contactRows {
            contacts[try row.int64("customer_id"), default: []].append(
                CustomerContact(
                    name: try row.string("name"), title: try row.string("title"),
                    phone: try row.optionalString("phone").map(PhoneNumber.init)))
        }
        let byId = try Dictionary(
            uniqueKeysWithValues: rows.map { row in
                let id = try row.int64("id")
                return (id, try customer(row, phones: phones[id] ?? [], contacts: contacts[id] ?? []))
            })
        return ids.compactMap { byId[$0] }
    }

    static func customer(_ row: any SQLRow, phones: [CustomerPhone], contacts: [CustomerContact]) throws -> Customer {
        let alert: CustomerAlert? =
            if let reason = try row.optionalString("alert_reason") {
                CustomerAlert(
                    reason: reason, setAt: try row.optionalDate("alert_set_at") ?? Date(timeIntervalSince1970: 0),
                    setBy: try row.optionalString("alert_set_by") ?? "")
            } else { nil }
        var customer = Customer(
            id: try row.int64("id"), storeId: try row.int64("store_id"),
            customerNo: try row.optionalString("customer_no"),
            type: CustomerType(rawValue: try row.string("type")) ?? .individual, name: try row.string("name"),
            gender: Gender(rawValue: try row.string("gender")) ?? .unknown,
            birthday: try row.optionalString("birthday").flatMap(LocalDate.init), phones: phones,
            address: try row.string("address"), region: try row.string("region"),
            sourceChannel: try row.string("source_channel"), consentMarketingSMS: try row.bool("consent_sms"),
            consentCallback: try row.bool("consent_callback"), tags: tags(try row.string("tags")),
            notes: try row.string("notes"),
            licenceReviewDate: try row.optionalString("licence_review_date").flatMap(LocalDate.init),
            ownerId: try row.optionalInt64("owner_id"), contacts: contacts, alert: alert,
            mergedIntoId: try row.optionalInt64("merged_into_id"), version: try row.int64("version"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
        // Readers that name their columns may leave it out; the column's default is consent.
        customer.consentServiceSMS = (try? row.bool("consent_service")) ?? true
        customer.ownerTeamId = (try? row.optionalInt64("owner_team_id")) ?? nil
        return customer
    }

    static func summary(_ row: any SQLRow) throws -> CustomerSummary {
        let phone = try row.string("primary_phone")
        var summary = CustomerSummary(
            id: try row.int64("id"), storeId: try row.int64("store_id"),
            customerNo: try row.optionalString("customer_no"),
            name: try row.string("name"), type: CustomerType(rawValue: try row.string("type")) ?? .individual,
            primaryPhone: phone.isEmpty ? nil : PhoneNumber(phone), ownerId: try row.optionalInt64("owner_id"),
            alertReason: try row.optionalString("alert_reason"), completeness: Int(try row.int64("completeness")),
            tags: tags(try row.string("tags")))
        summary.ownerTeamId = (try? row.optionalInt64("owner_team_id")) ?? nil
        return summary
    }

    /// Tags are stored `|a|b|` so one tag is matched exactly with LIKE '%|a|%'.
    static func storedTags(_ tags: [String]) -> String { tags.isEmpty ? "" : "|" + tags.joined(separator: "|") + "|" }
    static func tags(_ stored: String) -> [String] { stored.split(separator: "|").map(String.init) }

    /// Replaces the phones and contacts of a customer.
    static func writeChildren(
        storeId: Int64, customerId: Int64, _ draft: CustomerDraft, on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            "DELETE FROM customer_phones WHERE store_id = \(bind: storeId) AND customer_id = \(bind: customerId)"
        ).run()
        try await BulkInsert.rows(
            "customer_phones",
            columns: ["store_id", "customer_id", "digits", "digits_rev", "kind", "format", "is_primary", "position"],
            draft.phones.enumerated().map { position, phone in
                [
                    storeId, customerId, phone.number.digits, phone.number.digits.reversedText, phone.kind.rawValue,
                    phone.number.format.rawValue, phone.primary.sqlInt, Int64(position),
                ]
            }, on: db)
        try await db.raw(
            "DELETE FROM customer_contacts WHERE store_id = \(bind: storeId) AND customer_id = \(bind: customerId)"
        ).run()
        try await BulkInsert.rows(
            "customer_contacts", columns: ["store_id", "customer_id", "name", "title", "phone", "position"],
            draft.contacts.enumerated().map { position, contact in
                [storeId, customerId, contact.name, contact.title, contact.phone?.digits, Int64(position)]
            }, on: db)
    }

    /// Recomputes the stored completeness score of customers after their profile or vehicles changed.
    static func refreshCompleteness(storeId: Int64, customerIds: [Int64], on db: any SQLDatabase) async throws {
        guard !customerIds.isEmpty else { return }
        let customers = try await load(ids: customerIds, on: db)
        let counts = try await db.raw(
            """
            SELECT owner_customer_id AS id, COUNT(*) AS n FROM vehicles
            WHERE store_id = \(bind: storeId) AND owner_customer_id IN (\(binds: customerIds)) GROUP BY owner_customer_id
            """
        ).all()
        var vehicleCount: [Int64: Int] = [:]
        for row in counts { vehicleCount[try row.int64("id")] = Int(try row.int64("n")) }
        // One UPDATE per distinct score, not per customer: scores take a handful of values, and an import
        // refreshes thousands of customers per batch.
        var byScore: [Int: [Int64]] = [:]
        for customer in customers {
            byScore[Completeness.score(customer, vehicleCount: vehicleCount[customer.id] ?? 0), default: []].append(
                customer.id)
        }
        for (score, ids) in byScore.sorted(by: { $0.key < $1.key }) {
            try await db.raw(
                "UPDATE customers SET completeness = \(bind: Int64(score)) WHERE store_id = \(bind: storeId) AND id IN (\(binds: ids))"
            ).run()
        }
    }
}

/// Writes one timeline entry on the connection it is given.
enum InteractionWriter {
    static func insert(
        storeId: Int64, customerId: Int64, kind: InteractionKind, summary: String, actor: AuditActor, at: Date,
        on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO interactions (store_id, customer_id, at, kind, summary, user_id, user_login)
            VALUES (\(bind: storeId), \(bind: customerId), \(bind: at.epochMilliseconds), \(bind: kind.rawValue),
                    \(bind: String(summary.prefix(2000))), \(bind: actor.userId), \(bind: actor.login))
            """
        ).run()
    }
}
