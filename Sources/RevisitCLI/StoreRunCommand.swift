import Foundation
import RevisitCore
import RevisitStorage

/// What `revisit segment` and `revisit remind` share: one store (by code) or every active store, each
/// as of the given day or its own today, and a JSON summary per store as the last line (an array when
/// there are several).
enum StoreRunCommand {
    static func run<Summary: Encodable & Sendable>(
        database: DatabaseOptions, store code: String?, asOf: String?,
        _ each: @escaping @Sendable (Database, Store, LocalDate) async throws -> Summary
    ) async throws {
        try await CLI.run {
            let summaries: [Summary] = try await database.withDatabase(logger: CLI.logger) { db, _ in
                let identity = SQLIdentityStore(database: db, now: { Date() })
                let stores =
                    if let code { [try await identity.store(code: code.uppercased(), scope: .system)] } else {
                        try await identity.stores(scope: .system).filter(\.active)
                    }
                var summaries: [Summary] = []
                for store in stores {
                    summaries.append(try await each(db, store, asOf.flatMap(LocalDate.init) ?? store.day(at: Date())))
                }
                return summaries
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = summaries.count == 1 ? try encoder.encode(summaries[0]) : try encoder.encode(summaries)
            print(String(decoding: json, as: UTF8.self))
        }
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
