import Foundation
import RevisitCore
import SQLKit

/// Messaging for people (DOMAIN §6): templates, the store's rules, bulk sends, the outbox and the opt-out
/// list, each read and changed within the caller's stores.
public struct SQLMessagingStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    static func requireReader(_ storeId: Int64, _ scope: Scope) throws {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
    }

    static func requireManager(_ storeId: Int64, _ scope: Scope) throws {
        try requireReader(storeId, scope)
        guard scope.role.canManageMessaging else { throw RevisitError(.forbidden, code: .forbidden) }
    }

    // MARK: Templates

    public func templates(storeId: Int64, scope: Scope) async throws -> [MessageTemplate] {
        try Self.requireReader(storeId, scope)
        return try await database.all(
            "SELECT * FROM message_templates WHERE store_id = \(bind: storeId) ORDER BY name, id"
        ).map(TemplateRows.template)
    }

    public func template(id: Int64, scope: Scope) async throws -> MessageTemplate {
        guard
            let row = try await database.all(
                "SELECT * FROM message_templates WHERE id = \(bind: id) AND " + scope.storeFilter("store_id")
            ).first
        else { throw RevisitError.notFound() }
        return try TemplateRows.template(row)
    }

    public func template(named name: String, storeId: Int64, scope: Scope) async throws -> MessageTemplate {
        try Self.requireReader(storeId, scope)
        guard
            let row = try await database.all(
                "SELECT * FROM message_templates WHERE store_id = \(bind: storeId) AND name = \(bind: name)"
            ).first
        else { throw RevisitError(.notFound, code: .unknownTemplate, field: "template", args: ["value": name]) }
        return try TemplateRows.template(row)
    }

    /// Creates (`id` nil) or changes a template; a name already used in the store is refused.
    public func saveTemplate(
        _ draft: TemplateDraft, id: Int64?, storeId: Int64, scope: Scope
    ) async throws
        -> MessageTemplate
    {
        try Self.requireManager(storeId, scope)
        let valid = try draft.validated()
        if let id {
            let existing = try await template(id: id, scope: scope)
            guard existing.storeId == storeId else { throw RevisitError.notFound() }
        }
        let millis = now().epochMilliseconds
        let at = now()
        let savedId: Int64 = try await database.transaction { db in
            let clash = try await db.raw(
                """
                SELECT id FROM message_templates WHERE store_id = \(bind: storeId) AND name = \(bind: valid.name)
                """
            ).first()
            if let clash, try clash.int64("id") != id {
                throw RevisitError(.conflict, code: .duplicateName, field: "name", args: ["value": valid.name])
            }
            let saved: Int64
            if let id {
                try await db.raw(
                    """
                    UPDATE message_templates SET name = \(bind: valid.name), kind = \(bind: valid.kind.rawValue),
                        channel = \(bind: valid.channel.rawValue), language = \(bind: valid.language.rawValue),
                        purpose = \(bind: valid.purpose), body = \(bind: valid.body), updated_at = \(bind: millis)
                    WHERE store_id = \(bind: storeId) AND id = \(bind: id)
                    """
                ).run()
                saved = id
            } else {
                guard
                    let row = try await db.raw(
                        """
                        INSERT INTO message_templates (store_id, name, kind, channel, language, purpose, body,
                            created_by, created_at, updated_at)
                        VALUES (\(bind: storeId), \(bind: valid.name), \(bind: valid.kind.rawValue),
                            \(bind: valid.channel.rawValue), \(bind: valid.language.rawValue), \(bind: valid.purpose),
                            \(bind: valid.body), \(bind: scope.login), \(bind: millis), \(bind: millis))
                        RETURNING id
                        """
                    ).first()
                else { throw RevisitError(.conflict, code: .internalError) }
                saved = try row.int64("id")
            }
            try await AuditWriter.insert(
                AuditRecord(
                    action: .templateSaved, entityType: "message_template", entityId: String(saved), storeId: storeId,
                    detail: valid.name), actor: scope.actor, at: at, on: db)
            return saved
        }
        return try await template(id: savedId, scope: scope)
    }

    public func deleteTemplate(id: Int64, scope: Scope) async throws {
        let existing = try await template(id: id, scope: scope)
        try Self.requireManager(existing.storeId, scope)
        let at = now()
        try await database.transaction { db in
            try await db.raw(
                "DELETE FROM message_templates WHERE store_id = \(bind: existing.storeId) AND id = \(bind: id)"
            ).run()
            try await AuditWriter.insert(
                AuditRecord(
                    action: .templateDeleted, entityType: "message_template", entityId: String(id),
                    storeId: existing.storeId, detail: existing.name), actor: scope.actor, at: at, on: db)
        }
    }

    /// A template's text for one real customer of the store (the first with a mobile when none is named).
    public func previewTemplate(
        _ draft: TemplateDraft, storeId: Int64, customerId: Int64?, scope: Scope
    ) async throws -> (customer: String, text: String, segments: SMSSegments) {
        try Self.requireReader(storeId, scope)
        let valid = try draft.validated()
        return try await database.withConnection { db in
            let stores = try await MessagingStoreInfo.load(ids: [storeId], on: db)
            guard let store = stores[storeId] else { throw RevisitError.notFound() }
            let filter: SQLQueryString =
                customerId.map { " AND c.id = \(bind: $0)" }
                ?? " AND c.merged_into_id IS NULL AND c.primary_phone <> '' AND c.id = (SELECT MIN(id) FROM customers WHERE store_id = \(bind: storeId) AND merged_into_id IS NULL AND primary_phone <> '')"
            let recipient = try await RecipientQuery.recipients(storeId: storeId, filters: filter, on: db).first
            guard customerId == nil || recipient != nil else { throw RevisitError.notFound() }
            var values =
                recipient?.values(storeName: store.name, storePhone: store.phone, language: valid.language)
                ?? [.storeName: store.name, .storePhone: store.phone]
            values[.dueDate] = values[.dueDate] ?? LocalDate(now(), timeZone: store.zone).addingDays(7).description
            let text = MessageText.compose(
                body: TemplateText(checked: valid.body).render(values), kind: valid.kind, language: valid.language)
            return (recipient?.name ?? "", text, SMSSegments(text))
        }
    }

    // MARK: Settings

    public func settings(storeId: Int64, scope: Scope) async throws -> MessagingSettings {
        try Self.requireReader(storeId, scope)
        return try await StoreSettingsTable.load("messaging_settings", storeId: storeId, from: database)
            ?? MessagingSettings()
    }

    public func saveSettings(_ settings: MessagingSettings, storeId: Int64, scope: Scope) async throws {
        try Self.requireReader(storeId, scope)
        guard scope.role.canApproveBulkSends else { throw RevisitError(.forbidden, code: .forbidden) }
        let valid = try settings.validated()
        let at = now()
        try await database.transaction { db in
            try await StoreSettingsTable.save(valid, "messaging_settings", storeId: storeId, at: at, on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .messagingSettingsSaved, entityType: "store", entityId: String(storeId), storeId: storeId),
                actor: scope.actor, at: at, on: db)
        }
    }
}
