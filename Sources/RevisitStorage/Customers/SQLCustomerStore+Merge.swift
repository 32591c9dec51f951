import Foundation
import RevisitCore
import SQLKit

/// Every table with rows that belong to a customer, as (table, column). A merge moves all of them, so a
/// feature that adds such a table adds it here too (the merge test counts every one).
enum CustomerLinks {
    static let tables: [(table: String, column: String)] = [
        ("vehicles", "owner_customer_id"),
        ("vehicle_owners", "customer_id"),
        ("repair_orders", "customer_id"),
        ("interactions", "customer_id"),
        ("reminders", "customer_id"),
    ]
}

extension SQLCustomerStore {
    public func merge(
        survivorId: Int64, mergedId: Int64, taking fields: Set<MergeField>, scope: Scope
    ) async throws
        -> Customer
    {
        guard survivorId != mergedId else { throw RevisitError(.validation, code: .mergeSelf, field: "mergedId") }
        let at = now()
        try await write { db in
            let survivor = try await Self.visibleCustomer(id: survivorId, scope: scope, on: db)
            let merged = try await Self.visibleCustomer(id: mergedId, scope: scope, on: db)
            guard survivor.storeId == merged.storeId else {
                throw RevisitError(.validation, code: .mergeAcrossStores, field: "mergedId")
            }
            guard survivor.mergedIntoId == nil, merged.mergedIntoId == nil else {
                throw RevisitError(.conflict, code: .alreadyMerged, field: "mergedId")
            }
            let storeId = survivor.storeId
            let draft = try CustomerDraft.merged(survivor: survivor, merged: merged, taking: fields).normalized()
            for link in CustomerLinks.tables {
                try await db.raw(
                    """
                    UPDATE \(unsafeRaw: link.table) SET \(unsafeRaw: link.column) = \(bind: survivorId)
                    WHERE store_id = \(bind: storeId) AND \(unsafeRaw: link.column) = \(bind: mergedId)
                    """
                ).run()
            }
            // Messages move too, so the monthly cap and the history follow the survivor; where both records got
            // the same send, the merged record keeps its copy (one message per customer and send is a key).
            try await db.raw(
                """
                UPDATE outbox_messages SET customer_id = \(bind: survivorId)
                WHERE store_id = \(bind: storeId) AND customer_id = \(bind: mergedId)
                    AND NOT EXISTS (
                        SELECT 1 FROM outbox_messages s WHERE s.store_id = outbox_messages.store_id
                            AND s.customer_id = \(bind: survivorId) AND s.source_type = outbox_messages.source_type
                            AND s.source_id = outbox_messages.source_id)
                """
            ).run()
            let alert = survivor.alert ?? merged.alert
            try await db.raw(
                """
                UPDATE customers SET type = \(bind: draft.type.rawValue), name = \(bind: draft.name),
                    gender = \(bind: draft.gender.rawValue), birthday = \(bind: draft.birthday?.description),
                    address = \(bind: draft.address), region = \(bind: draft.region),
                    source_channel = \(bind: draft.sourceChannel), consent_sms = \(bind: draft.consentMarketingSMS.sqlInt),
                    consent_callback = \(bind: draft.consentCallback.sqlInt),
                    consent_service = \(bind: draft.consentServiceSMS.sqlInt), tags = \(bind: CustomerRows.storedTags(draft.tags)),
                    notes = \(bind: draft.notes), licence_review_date = \(bind: draft.licenceReviewDate?.description),
                    owner_id = \(bind: draft.ownerId), owner_team_id = \(bind: draft.ownerTeamId), primary_phone = \(bind: Self.primaryDigits(draft)),
                    phone_flag = \(bind: Self.phoneFlag(draft).sqlInt), alert_reason = \(bind: alert?.reason),
                    alert_set_at = \(bind: alert.map { $0.setAt.epochMilliseconds }), alert_set_by = \(bind: alert?.setBy),
                    version = version + 1, updated_at = \(bind: at.epochMilliseconds)
                WHERE store_id = \(bind: storeId) AND id = \(bind: survivorId)
                """
            ).run()
            try await CustomerRows.writeChildren(storeId: storeId, customerId: survivorId, draft, on: db)
            // The merged record stays, pointing at the survivor, so its number, phones and DMS number still
            // find the customer.
            try await db.raw(
                """
                UPDATE customers SET merged_into_id = \(bind: survivorId), version = version + 1,
                    updated_at = \(bind: at.epochMilliseconds)
                WHERE store_id = \(bind: storeId) AND id = \(bind: mergedId)
                """
            ).run()
            try await CustomerRows.refreshCompleteness(storeId: storeId, customerIds: [survivorId], on: db)
            let summary = "#\(mergedId) \(merged.name)" + (merged.customerNo.map { " (\($0))" } ?? "")
            try await InteractionWriter.insert(
                storeId: storeId, customerId: survivorId, kind: .merge, summary: summary, actor: scope.actor, at: at,
                on: db)
            try await AuditWriter.insert(
                AuditRecord(
                    action: .customerMerged, entityType: "customer", entityId: String(survivorId), storeId: storeId,
                    detail: "merged \(mergedId); took \(fields.map(\.rawValue).sorted().joined(separator: ","))"),
                actor: scope.actor, at: at, on: db)
        }
        return try await customer(id: survivorId, scope: scope)
    }
}
