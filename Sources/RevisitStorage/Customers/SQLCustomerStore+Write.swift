import Foundation
import RevisitCore
import SQLKit

extension SQLCustomerStore {
    public func createCustomer(storeId: Int64, _ draft: CustomerDraft, scope: Scope) async throws -> Customer {
        guard scope.canSee(store: storeId) else { throw RevisitError.notFound() }
        let draft = try draft.normalized()
        let at = now()
        let id = try await write { db in
            try await Self.checkDraft(draft, storeId: storeId, except: nil, on: db)
            let row = try await db.raw(
                """
                INSERT INTO customers (store_id, customer_no, type, name, gender, birthday, address, region,
                    source_channel, consent_sms, consent_callback, consent_service, tags, notes, licence_review_date,
                    owner_id, owner_team_id, primary_phone, phone_flag, version, created_at, updated_at)
                VALUES (\(bind: storeId), \(bind: draft.customerNo), \(bind: draft.type.rawValue), \(bind: draft.name),
                    \(bind: draft.gender.rawValue), \(bind: draft.birthday?.description), \(bind: draft.address),
                    \(bind: draft.region), \(bind: draft.sourceChannel), \(bind: draft.consentMarketingSMS.sqlInt),
                    \(bind: draft.consentCallback.sqlInt), \(bind: draft.consentServiceSMS.sqlInt),
                    \(bind: CustomerRows.storedTags(draft.tags)), \(bind: draft.notes),
                    \(bind: draft.licenceReviewDate?.description), \(bind: draft.ownerId), \(bind: draft.ownerTeamId),
                    \(bind: Self.primaryDigits(draft)), \(bind: Self.phoneFlag(draft).sqlInt), 1,
                    \(bind: at.epochMilliseconds), \(bind: at.epochMilliseconds))
                RETURNING id
                """
            ).first()
            let id = try row!.int64("id")
            try await CustomerRows.writeChildren(storeId: storeId, customerId: id, draft, on: db)
            try await CustomerRows.refreshCompleteness(storeId: storeId, customerIds: [id], on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .customerCreated, entityType: "customer", entityId: String(id), storeId: storeId,
                    detail: draft.name),
                actor: scope.actor, at: at, on: db)
            return id
        }
        return try await customer(id: id, scope: scope)
    }

    public func updateCustomer(
        id: Int64, _ draft: CustomerDraft, expectedVersion: Int64, scope: Scope
    ) async throws
        -> Customer
    {
        let draft = try draft.normalized()
        let at = now()
        try await write { db in
            let current = try await Self.visibleCustomer(id: id, scope: scope, on: db)
            guard current.version == expectedVersion else {
                throw RevisitError(
                    .conflict, code: .versionConflict, field: "version", args: ["current": String(current.version)])
            }
            try await Self.checkDraft(draft, storeId: current.storeId, except: id, on: db)
            let updated = try await db.raw(
                """
                UPDATE customers SET customer_no = \(bind: draft.customerNo), type = \(bind: draft.type.rawValue),
                    name = \(bind: draft.name), gender = \(bind: draft.gender.rawValue),
                    birthday = \(bind: draft.birthday?.description), address = \(bind: draft.address),
                    region = \(bind: draft.region), source_channel = \(bind: draft.sourceChannel),
                    consent_sms = \(bind: draft.consentMarketingSMS.sqlInt),
                    consent_callback = \(bind: draft.consentCallback.sqlInt),
                    consent_service = \(bind: draft.consentServiceSMS.sqlInt),
                    tags = \(bind: CustomerRows.storedTags(draft.tags)), notes = \(bind: draft.notes),
                    licence_review_date = \(bind: draft.licenceReviewDate?.description), owner_id = \(bind: draft.ownerId),
                    owner_team_id = \(bind: draft.ownerTeamId),
                    primary_phone = \(bind: Self.primaryDigits(draft)), phone_flag = \(bind: Self.phoneFlag(draft).sqlInt),
                    version = version + 1, updated_at = \(bind: at.epochMilliseconds)
                WHERE store_id = \(bind: current.storeId) AND id = \(bind: id) AND version = \(bind: expectedVersion)
                RETURNING id
                """
            ).all()
            // The version is checked again in the UPDATE itself, so two edits racing cannot both win.
            guard !updated.isEmpty else { throw RevisitError(.conflict, code: .versionConflict, field: "version") }
            try await CustomerRows.writeChildren(storeId: current.storeId, customerId: id, draft, on: db)
            try await CustomerRows.refreshCompleteness(storeId: current.storeId, customerIds: [id], on: db)
            let changed = Self.changedFields(from: CustomerDraft(current), to: draft)
            if CustomerDraft(current).owner != draft.owner {
                // Ownership has a history of its own (DOMAIN §4): who had the customer, and when.
                try await db.raw(
                    """
                    INSERT INTO customer_owner_history (store_id, customer_id, from_owner_id, to_owner_id, from_team_id,
                        to_team_id, reason, at, by_login)
                    VALUES (\(bind: current.storeId), \(bind: id), \(bind: current.ownerId), \(bind: draft.ownerId),
                        \(bind: current.ownerTeamId), \(bind: draft.ownerTeamId), 'edited',
                        \(bind: at.epochMilliseconds), \(bind: scope.login))
                    """
                ).run()
            }
            try await InteractionWriter.insert(
                storeId: current.storeId, customerId: id, kind: .edit, summary: changed.joined(separator: ", "),
                actor: scope.actor, at: at, on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .customerUpdated, entityType: "customer", entityId: String(id), storeId: current.storeId,
                    detail: changed.joined(separator: ",")),
                actor: scope.actor, at: at, on: db)
        }
        return try await customer(id: id, scope: scope)
    }

    public func setAlert(customerId: Int64, reason: String?, scope: Scope) async throws -> Customer {
        let reason = try reason.map { try FieldRules.text($0, field: "reason", max: 200) }
        let at = now()
        try await write { db in
            let current = try await Self.visibleCustomer(id: customerId, scope: scope, on: db)
            try await db.raw(
                """
                UPDATE customers SET alert_reason = \(bind: reason), alert_set_at = \(bind: reason == nil ? nil : at.epochMilliseconds),
                    alert_set_by = \(bind: reason == nil ? nil : scope.login)
                WHERE store_id = \(bind: current.storeId) AND id = \(bind: customerId)
                """
            ).run()
            let summary = reason.map { "⚠ \($0)" } ?? "✓ \(current.alert?.reason ?? "")"
            try await InteractionWriter.insert(
                storeId: current.storeId, customerId: customerId, kind: .alert, summary: summary, actor: scope.actor,
                at: at, on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: reason == nil ? .customerAlertCleared : .customerAlertSet, entityType: "customer",
                    entityId: String(customerId), storeId: current.storeId, detail: reason ?? ""),
                actor: scope.actor, at: at, on: db)
        }
        return try await customer(id: customerId, scope: scope)
    }

    public func addInteraction(customerId: Int64, kind: InteractionKind, summary: String, scope: Scope) async throws {
        let summary = try FieldRules.text(summary, field: "summary", max: 2000)
        let at = now()
        try await write { db in
            let customer = try await Self.visibleCustomer(id: customerId, scope: scope, on: db)
            try await InteractionWriter.insert(
                storeId: customer.storeId, customerId: customerId, kind: kind, summary: summary, actor: scope.actor,
                at: at, on: db)
        }
    }

    public func recordReveal(customerId: Int64, scope: Scope) async throws {
        let at = now()
        try await write { db in
            let customer = try await Self.visibleCustomer(id: customerId, scope: scope, on: db)
            try await InteractionWriter.insert(
                storeId: customer.storeId, customerId: customerId, kind: .reveal, summary: "", actor: scope.actor,
                at: at, on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .customerPhoneRevealed, entityType: "customer", entityId: String(customerId),
                    storeId: customer.storeId),
                actor: scope.actor, at: at, on: db)
        }
    }

    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await database.transaction(body)
        } catch let error where ConstraintViolation.isUnique(error) {
            throw RevisitError(.conflict, code: .duplicateCustomerNo, field: "customerNo")
        }
    }

    /// The owner must work in the customer's store; the DMS number must be free in it.
    static func checkDraft(
        _ draft: CustomerDraft, storeId: Int64, except id: Int64?, on db: any SQLDatabase
    ) async throws {
        if draft.ownerId != nil && draft.ownerTeamId != nil {
            throw RevisitError(.validation, code: .ownerConflict, field: "ownerTeamId")
        }
        if let team = draft.ownerTeamId,
            try await db.raw(
                "SELECT id FROM advisor_teams WHERE store_id = \(bind: storeId) AND id = \(bind: team)"
            ).first() == nil
        {
            throw RevisitError(
                .validation, code: .invalidValue, field: "ownerTeamId",
                args: ["field": "ownerTeamId", "value": String(team)])
        }
        if let ownerId = draft.ownerId {
            let owner = try await db.raw(
                "SELECT user_id FROM user_stores WHERE store_id = \(bind: storeId) AND user_id = \(bind: ownerId)"
            ).first()
            if owner == nil {
                throw RevisitError(.validation, code: .invalidValue, field: "ownerId", args: ["value": String(ownerId)])
            }
        }
        if let number = draft.customerNo,
            let row = try await db.raw(
                "SELECT id FROM customers WHERE store_id = \(bind: storeId) AND customer_no = \(bind: number)"
            ).first(), try row.int64("id") != id
        {
            throw RevisitError(.conflict, code: .duplicateCustomerNo, field: "customerNo", args: ["value": number])
        }
    }

    static func primaryDigits(_ draft: CustomerDraft) -> String {
        (draft.phones.first { $0.primary } ?? draft.phones.first)?.number.digits ?? ""
    }

    static func phoneFlag(_ draft: CustomerDraft) -> Bool { draft.phones.contains { !$0.number.isValid } }

    /// The names of the fields an edit changed, for the timeline.
    static func changedFields(from old: CustomerDraft, to new: CustomerDraft) -> [String] {
        var fields: [String] = []
        if old.name != new.name { fields.append("name") }
        if old.customerNo != new.customerNo { fields.append("customerNo") }
        if old.type != new.type { fields.append("type") }
        if old.gender != new.gender { fields.append("gender") }
        if old.birthday != new.birthday { fields.append("birthday") }
        if old.phones != new.phones { fields.append("phones") }
        if old.address != new.address || old.region != new.region { fields.append("address") }
        if old.sourceChannel != new.sourceChannel { fields.append("sourceChannel") }
        if old.consentMarketingSMS != new.consentMarketingSMS || old.consentCallback != new.consentCallback
            || old.consentServiceSMS != new.consentServiceSMS
        {
            fields.append("consent")
        }
        if old.tags != new.tags { fields.append("tags") }
        if old.notes != new.notes { fields.append("notes") }
        if old.licenceReviewDate != new.licenceReviewDate { fields.append("licenceReviewDate") }
        if old.owner != new.owner { fields.append("owner") }
        if old.contacts != new.contacts { fields.append("contacts") }
        return fields
    }
}
