import Foundation
import Hummingbird
import RevisitCore

extension Request {
    /// Reads and decodes a JSON body; anything unreadable is a 400 with code `malformed_json`.
    func json<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T {
        var request = self
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw RevisitError(.badRequest, code: .malformedJSON, args: ["detail": Self.describe(error)])
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "" }
        switch error {
        case .keyNotFound(let key, _): return key.stringValue
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.map(\.stringValue).joined(separator: ".")
        @unknown default: return ""
        }
    }
}

extension Authenticated {
    /// The store a request means when it names none: the current one, or the user's only store.
    func defaultStoreId() throws -> Int64 {
        if let current = currentStore { return current.id }
        if scope.storeIds.count == 1, let only = scope.storeIds.first { return only }
        throw RevisitError(.validation, code: .required, field: "storeId")
    }

    /// The store named (a store the user cannot see is not found), or the default one.
    func storeId(named text: String?) throws -> Int64 {
        guard let text, !text.isEmpty else { return try defaultStoreId() }
        guard let id = Int64(text), scope.canSee(store: id) else { throw RevisitError.notFound() }
        return id
    }
}
