import Foundation
import HTTPTypes
import Hummingbird
import RevisitCore
import RevisitJobs
import RevisitStorage

/// The gateway's callbacks (DOMAIN §6): delivery receipts and inbound texts, each checked against the
/// `X-Revisit-Signature` HMAC of its body with the shared secret before anything is read from it.
struct SMSWebhooks {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.post("/webhooks/sms/receipt") { request, context in
            let body = try await verified(request, context)
            var receipts: [DeliveryReceipt] = []
            for object in try Self.objects(body) {
                receipts.append(
                    DeliveryReceipt(
                        idempotencyKey: Self.text(object, "idempotencyKey", "key", "outId", "reference"),
                        providerMessageId: Self.text(object, "id", "messageId", "msgId"),
                        status: Self.text(object, "status", "state") ?? "unknown",
                        at: Self.text(object, "at", "time").flatMap { try? Date($0, strategy: .iso8601) }
                            ?? services.now()))
            }
            var matched = 0
            for receipt in receipts where try await services.outbox.applyReceipt(receipt) { matched += 1 }
            return try Response.json(["received": receipts.count, "matched": matched])
        }
        router.post("/webhooks/sms/inbound") { request, context in
            let body = try await verified(request, context)
            var stores = 0
            var optedOut = 0
            for object in try Self.objects(body) {
                guard let phone = Self.text(object, "from", "phone", "mobile"),
                    let text = Self.text(object, "text", "content", "body")
                else { throw RevisitError(.badRequest, code: .malformedJSON, args: ["detail": "from, text"]) }
                let outcome = try await services.outbox.receiveInbound(
                    phone: phone, text: text, providerMessageId: Self.text(object, "id", "messageId"))
                stores += outcome.stores.count
                optedOut += outcome.optedOutStores.count
            }
            return try Response.json(["stores": stores, "optedOut": optedOut])
        }
    }

    /// The body, once its signature is right. Without a configured secret nothing is accepted: an
    /// unsigned opt-out endpoint would let anyone change who may be messaged.
    func verified(_ request: Request, _ context: AppRequestContext) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        let body = Data(buffer.readableBytesView)
        guard let secret = services.config.sms.secret, !secret.isEmpty,
            let signature = request.headers[HTTPField.Name(SMSSignature.header)!],
            Secrets.constantTimeEquals(
                signature.trimmingCharacters(in: .whitespaces).lowercased(), SMSSignature.sign(body, secret: secret))
        else { throw RevisitError(.unauthorized, code: .badSignature) }
        return body
    }

    /// One object or an array of them (gateways batch receipts).
    static func objects(_ body: Data) throws -> [[String: Any]] {
        let parsed = try? JSONSerialization.jsonObject(with: body)
        if let object = parsed as? [String: Any] { return [object] }
        if let array = parsed as? [[String: Any]] { return array }
        throw RevisitError(.badRequest, code: .malformedJSON)
    }

    static func text(_ object: [String: Any], _ names: String...) -> String? {
        for name in names {
            if let value = object[name] as? String, !value.isEmpty { return value }
            if let value = object[name] as? Int { return String(value) }
        }
        return nil
    }
}
