import Foundation
import RevisitCore
import SQLKit

/// Writes one batch of imported records on the transaction it is given: new keys are inserted, rows
/// whose fingerprint changed are updated in the columns the file has (a blank never erases), the rest
/// are counted unchanged. References to rows by their DMS keys (owner customer number, VIN) are
/// resolved when the row they point at exists, now or at the end of a later run (`resolveAll`).
struct RowWriter {
    let storeId: Int64
    let at: Date
    let engine: DatabaseEngine

    var today: LocalDate { LocalDate(at, timeZone: TimeZone(identifier: Store.defaultTimeZone)!) }
    var millis: Int64 { at.epochMilliseconds }

    func write(_ batch: ImportBatch, kind: ImportKind, on db: any SQLDatabase) async throws -> ImportCounts {
        var counts: ImportCounts
        switch kind {
        case .customers: counts = try await customers(batch.customers, on: db)
        case .vehicles: counts = try await vehicles(batch.vehicles, on: db)
        case .repairOrders, .lines:
            // PostgreSQL loads through COPY and set-based statements, with the same rules and counts.
            if engine == .postgresql {
                counts = try await PostgresOrderWriter(rows: self).write(batch.repairOrders, kind: kind, on: db)
            } else {
                counts = try await repairOrders(batch.repairOrders, kind: kind, on: db)
            }
        }
        counts.unchanged += batch.unchangedRows
        return counts
    }

    /// One `SET` list from the fields a record has; nil values are left out.
    struct Assignments {
        var sql: SQLQueryString = ""
        var isEmpty = true

        mutating func set(_ column: String, _ value: (any Encodable & Sendable)?) {
            guard let value else { return }
            sql += isEmpty ? "\(unsafeRaw: column) = \(bind: value)" : ", \(unsafeRaw: column) = \(bind: value)"
            isEmpty = false
        }

        /// A reference that may be cleared: nil is written as NULL.
        mutating func set(_ column: String, reference value: Int64?) {
            sql += isEmpty ? "\(unsafeRaw: column) = \(bind: value)" : ", \(unsafeRaw: column) = \(bind: value)"
            isEmpty = false
        }
    }

    /// Ids of live customers by DMS number; a merged record stands for the record it was merged into.
    func customerIds(_ numbers: [String], on db: any SQLDatabase) async throws -> [String: Int64] {
        let numbers = Array(Set(numbers))
        guard !numbers.isEmpty else { return [:] }
        var ids: [String: Int64] = [:]
        for row in try await db.raw(
            """
            SELECT customer_no, COALESCE(merged_into_id, id) AS id FROM customers
            WHERE store_id = \(bind: storeId) AND customer_no IN (\(binds: numbers))
            """
        ).all() {
            ids[try row.string("customer_no")] = try row.int64("id")
        }
        return ids
    }

    // MARK: Customers

    func customers(_ records: [CustomerImport], on db: any SQLDatabase) async throws -> ImportCounts {
        guard !records.isEmpty else { return ImportCounts() }
        var existing: [String: (id: Int64, fingerprint: Int64?, merged: Bool)] = [:]
        for row in try await db.raw(
            """
            SELECT id, customer_no, import_fp, merged_into_id FROM customers
            WHERE store_id = \(bind: storeId) AND customer_no IN (\(binds: records.map(\.customerNo)))
            """
        ).all() {
            existing[try row.string("customer_no")] = (
                try row.int64("id"), try row.optionalInt64("import_fp"), try row.optionalInt64("merged_into_id") != nil
            )
        }
        var counts = ImportCounts()
        var inserts: [CustomerImport] = []
        var touched: [Int64] = []
        for record in records {
            let fingerprint = Int64(bitPattern: record.fingerprint)
            guard let current = existing[record.customerNo] else {
                inserts.append(record)
                continue
            }
            // A merged record is retired: its survivor holds the customer now and is edited there.
            if current.fingerprint == fingerprint || current.merged {
                counts.unchanged += 1
                continue
            }
            try await updateCustomer(current.id, record, fingerprint: fingerprint, on: db)
            touched.append(current.id)
            counts.updated += 1
        }
        if !inserts.isEmpty {
            try await BulkInsert.rows(
                "customers",
                columns: [
                    "store_id", "customer_no", "type", "name", "gender", "birthday", "address", "region",
                    "source_channel", "consent_sms", "consent_service", "licence_review_date", "primary_phone",
                    "phone_flag", "import_fp", "version", "created_at", "updated_at",
                ],
                inserts.map { record in
                    [
                        storeId, record.customerNo, (record.type ?? .individual).rawValue, record.name,
                        (record.gender ?? .unknown).rawValue, record.birthday?.description, record.address ?? "",
                        record.region ?? "", record.sourceChannel ?? "", (record.consentSMS ?? false).sqlInt,
                        (record.consentService ?? true).sqlInt, record.licenceReviewDate?.description,
                        record.phones.first?.digits ?? "",
                        record.phones.contains { !$0.isValid }.sqlInt, Int64(bitPattern: record.fingerprint), Int64(1),
                        millis, millis,
                    ]
                }, on: db)
            let ids = try await customerIds(inserts.map(\.customerNo), on: db)
            var phones: [[BulkInsert.Value]] = []
            for record in inserts {
                guard let id = ids[record.customerNo] else { continue }
                touched.append(id)
                for (position, number) in record.phones.enumerated() {
                    phones.append(phoneRow(customerId: id, number, primary: position == 0, position: position))
                }
            }
            try await BulkInsert.rows("customer_phones", columns: Self.phoneColumns, phones, on: db)
            counts.inserted += inserts.count
        }
        try await CustomerRows.refreshCompleteness(storeId: storeId, customerIds: touched, on: db)
        return counts
    }

    static let phoneColumns = [
        "store_id", "customer_id", "digits", "digits_rev", "kind", "format", "is_primary", "position",
    ]

    func phoneRow(customerId: Int64, _ number: PhoneNumber, primary: Bool, position: Int) -> [BulkInsert.Value] {
        let kind: PhoneKind =
            switch number.format {
            case .mobile: .mobile
            case .landline: .office
            case .other: .other
            }
        return [
            storeId, customerId, number.digits, number.digits.reversedText, kind.rawValue, number.format.rawValue,
            primary.sqlInt, Int64(position),
        ]
    }

    func updateCustomer(_ id: Int64, _ record: CustomerImport, fingerprint: Int64, on db: any SQLDatabase) async throws
    {
        var set = Assignments()
        set.set("name", record.name)
        set.set("type", record.type?.rawValue)
        set.set("gender", record.gender?.rawValue)
        set.set("birthday", record.birthday?.description)
        set.set("address", record.address)
        set.set("region", record.region)
        set.set("source_channel", record.sourceChannel)
        set.set("licence_review_date", record.licenceReviewDate?.description)
        set.set("consent_sms", record.consentSMS?.sqlInt)
        set.set("consent_service", record.consentService?.sqlInt)
        set.set("import_fp", fingerprint)
        set.set("updated_at", millis)
        try await db.raw(
            "UPDATE customers SET " + set.sql
                + ", version = version + 1 WHERE store_id = \(bind: storeId) AND id = \(bind: id)"
        ).run()
        guard !record.phones.isEmpty else { return }
        // The file's numbers join the customer's; numbers added in Revisit stay. The file's first number
        // becomes the primary one.
        let known = try await db.raw(
            """
            SELECT digits, position FROM customer_phones WHERE store_id = \(bind: storeId) AND customer_id = \(bind: id)
            """
        ).all()
        var digits = Set(try known.map { try $0.string("digits") })
        var position = (try known.map { try $0.int64("position") }.max() ?? -1) + 1
        var added: [[BulkInsert.Value]] = []
        for number in record.phones where !digits.contains(number.digits) {
            added.append(phoneRow(customerId: id, number, primary: false, position: Int(position)))
            digits.insert(number.digits)
            position += 1
        }
        try await BulkInsert.rows("customer_phones", columns: Self.phoneColumns, added, on: db)
        let primary = record.phones[0].digits
        try await db.raw(
            """
            UPDATE customer_phones SET is_primary = CASE WHEN digits = \(bind: primary) THEN 1 ELSE 0 END
            WHERE store_id = \(bind: storeId) AND customer_id = \(bind: id)
            """
        ).run()
        try await db.raw(
            """
            UPDATE customers SET primary_phone = \(bind: primary),
                phone_flag = CASE WHEN EXISTS (SELECT 1 FROM customer_phones p WHERE p.store_id = customers.store_id
                              AND p.customer_id = customers.id AND p.format = 'other') THEN 1 ELSE 0 END
            WHERE store_id = \(bind: storeId) AND id = \(bind: id)
            """
        ).run()
    }
}
