import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RevisitCore
import RevisitJobs
import RevisitStorage
import RevisitTestSupport
import Testing

/// A manager writes a template, previews it on a real customer, previews and sends a bulk send, watches
/// it in the outbox; a marketing user's large send waits for approval; the gateway's signed webhooks
/// record receipts and opt-outs; the customer's timeline shows the message.
@Suite struct MessagingPagesTests {
    static let secret = "webhook-secret"

    static func signed(
        _ web: WebAgentFactory, _ path: String, _ body: String, secret: String = secret
    ) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name(SMSSignature.header)!] = SMSSignature.sign(Data(body.utf8), secret: secret)
        return try await web.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(arguments: TestDatabase.engines)
    func aManagerPreparesPreviewsAndSendsAndTheGatewayReportsBack(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine, configure: { $0.sms.secret = Self.secret }) { app, web in
            let seeded = try await CustomerPagesTests.seedCustomer(app)
            let storeA = app.fixture.storeA.id
            try await app.services.database.run(
                "UPDATE customers SET consent_sms = 1 WHERE id = \(bind: seeded.customer.id)")
            let manager = try await web.signedIn("manager-a")
            _ = try await manager.get("/account")
            #expect(try await manager.get("/home").text.contains("/stores/\(storeA)/messaging"))

            // A typo in a variable is refused with its name; the preview shows a real customer's text.
            let typo = try await manager.post(
                "/stores/\(storeA)/templates",
                [
                    ("name", "保养八折"), ("kind", "marketing"), ("language", "zh-CN"), ("purpose", ""),
                    ("body", "{{custmerName}}您好"), ("action", "save"),
                ])
            #expect(typo.status == .unprocessableContent && typo.text.contains("custmerName"))
            let fields: [(String, String)] = [
                ("name", "保养八折"), ("kind", "marketing"), ("language", "zh-CN"), ("purpose", ""),
                ("body", "{{customerName}}{{customerTitle}}您好，{{plate}}本周保养八折。{{storeName}}"),
            ]
            let preview = try await manager.post("/stores/\(storeA)/templates", fields + [("action", "preview")])
            #expect(preview.status == .ok && preview.text.contains("周杰先生您好，京A88888本周保养八折。甲店 Alpha回T退订"))
            let saved = try await manager.post("/stores/\(storeA)/templates", fields + [("action", "save")])
            #expect(saved.status == .seeOther)
            let templates = try await manager.get("/stores/\(storeA)/templates")
            #expect(templates.text.contains("保养八折") && templates.text.contains("id=\"templates\""))
            let template = try #require(
                try await app.services.messaging.templates(storeId: storeA, scope: .system).first)

            // Preview of the bulk send: counts, the sample and its SMS count; then send.
            let bulkPreview = try await manager.post(
                "/stores/\(storeA)/bulk-sends/preview", [("template", String(template.id)), ("churnStage", "")])
            #expect(bulkPreview.status == .ok && bulkPreview.text.contains("id=\"recipients\">1<"))
            #expect(bulkPreview.text.contains("周杰先生您好") && bulkPreview.text.contains("bulk-confirm"))
            let sent = try await manager.post("/stores/\(storeA)/bulk-sends", [("template", String(template.id))])
            #expect(sent.status == .seeOther)
            let send = try #require(try await app.services.messaging.bulkSends(storeId: storeA, scope: .system).first)
            let sendPage = try await manager.get("/bulk-sends/\(send.id)")
            // The test clock reads 22:13 in Shanghai: a marketing message waits for the morning.
            #expect(sendPage.status == .ok && sendPage.text.contains("免打扰暂缓 1"))

            // The outbox page and the API list it with its idempotency key.
            let outbox = try await manager.get("/stores/\(storeA)/messaging")
            #expect(outbox.status == .ok && outbox.text.contains("周杰先生您好") && outbox.text.contains("免打扰暂缓"))
            let token = try await ApiTests.token(for: "manager-a", web: web)
            let listed = try #require(
                try await web.api(.get, "/api/v1/outbox?status=held", token: token).json() as? [String: Any])
            let item = try #require((listed["items"] as? [[String: Any]])?.first)
            let id = try #require(item["id"] as? Int)
            #expect(item["idempotencyKey"] as? String == String(id) && item["status"] as? String == "held")
            #expect(try await app.services.outbox.claim(limit: 10, worker: "t", lease: 60).isEmpty)
            app.clock.advance(by: 10 * 3600)

            // The worker sends it (log provider), the gateway's receipt arrives signed, twice.
            let claimed = try await app.services.outbox.claim(limit: 10, worker: "t", lease: 60)
            try await app.services.outbox.record([
                SendResult(id: claimed[0].id, storeId: storeA, provider: "http", outcome: .accepted(providerId: "gw-9"))
            ])
            let receipt = #"{"id":"gw-9","idempotencyKey":"\#(id)","status":"delivered","at":"2026-03-02T04:00:00Z"}"#
            #expect(try await Self.signed(web, "/webhooks/sms/receipt", receipt).status == .ok)
            let again = try await Self.signed(web, "/webhooks/sms/receipt", receipt)
            #expect(try again.json() as? [String: Int] == ["received": 1, "matched": 1])
            // A forged or unsigned receipt changes nothing.
            let forged = try await Self.signed(
                web, "/webhooks/sms/receipt", receipt.replacingOccurrences(of: "delivered", with: "failed"),
                secret: "guess")
            #expect(forged.status == .unauthorized)
            let message = try #require(
                try await web.api(.get, "/api/v1/outbox/\(id)", token: token).json() as? [String: Any])
            #expect(message["status"] as? String == "delivered" && message["providerMessageId"] as? String == "gw-9")
            // The customer's timeline shows the message (a new sign-in: the clock moved ten hours).
            let morning = try await web.signedIn("manager-a")
            _ = try await morning.get("/account")
            let customerPage = try await morning.get("/customers/\(seeded.customer.id)")
            #expect(customerPage.text.contains("本周保养八折"))

            // The customer replies 退订: opted out at once, on the list and the timeline.
            let inbound = try await Self.signed(
                web, "/webhooks/sms/inbound", #"{"from":"+8613812345678","text":"退订","id":"in-1"}"#)
            #expect(try inbound.json() as? [String: Int] == ["stores": 1, "optedOut": 1])
            let optOuts = try await morning.get("/stores/\(storeA)/opt-outs")
            #expect(optOuts.text.contains("13812345678") && optOuts.text.contains("短信回复"))
            let nextPreview = try #require(
                try await web.api(
                    .post, "/api/v1/bulk-sends/preview", token: token, json: #"{"templateId":\#(template.id)}"#
                ).json() as? [String: Any])
            #expect(
                (nextPreview["excluded"] as? [String: Int])?["optedOut"] == 1 && nextPreview["recipients"] as? Int == 0)
            // The manager takes it back when the customer consents again.
            #expect(
                try await morning.post("/stores/\(storeA)/opt-outs/remove", [("phone", "13812345678")]).status
                    == .seeOther)
            #expect(try await app.services.messaging.optOuts(storeId: storeA, scope: .system).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLargeSendFromMarketingWaitsForTheManager(engine: DatabaseEngine) async throws {
        try await TestApp.with(engine) { app, web in
            _ = try await CustomerPagesTests.seedCustomer(app)
            let storeA = app.fixture.storeA.id
            let manager = try await web.signedIn("manager-a")
            _ = try await manager.get("/account")
            // The rules form: approval above zero recipients, a bad time refused.
            let bad = try await manager.post(
                "/stores/\(storeA)/messaging-settings",
                [
                    ("quietStart", "25:00"), ("quietEnd", "08:00"), ("monthlyCap", "4"), ("approvalThreshold", "0"),
                    ("keywords", "TD, 退订"),
                ])
            #expect(bad.status == .unprocessableContent)
            #expect(
                try await manager.post(
                    "/stores/\(storeA)/messaging-settings",
                    [
                        ("quietStart", "21:00"), ("quietEnd", "08:00"), ("monthlyCap", "4"), ("approvalThreshold", "0"),
                        ("keywords", "TD, 退订"),
                    ]
                ).status == .seeOther)
            #expect(try await app.services.messaging.settings(storeId: storeA, scope: .system).approvalThreshold == 0)
            let template = try await app.services.messaging.saveTemplate(
                TemplateDraft(name: "召回", kind: .service, body: "{{customerName}}：您的车有召回。"), id: nil, storeId: storeA,
                scope: .system)
            let marketing = Scope(
                userId: nil, login: "mkt", role: .marketing, storeIds: [storeA], clientAddress: "test")
            let send = try await app.services.messaging.createBulkSend(
                templateId: template.id, query: CustomerQuery(), filters: [:], storeId: storeA, scope: marketing)
            #expect(send.status == .awaitingApproval)
            let page = try await manager.get("/bulk-sends/\(send.id)")
            #expect(page.text.contains("id=\"approve\""))
            #expect(try await manager.post("/bulk-sends/\(send.id)/approve").status == .seeOther)
            let approved = try await app.services.messaging.bulkSend(id: send.id, scope: .system)
            #expect(approved.status == .queued && approved.progress["queued"] == 1)
            // A customer who wants no service messages either: the flag goes through the API and counts.
            let token = try await ApiTests.token(for: "manager-a", web: web)
            let created = try await web.api(
                .post, "/api/v1/customers", token: token,
                json: #"{"name":"孙悟","phones":[{"number":"13911112222","kind":"mobile"}],"consentService":false}"#)
            #expect(created.status == .created)
            #expect((try created.json() as? [String: Any])?["consentService"] as? Bool == false)
            let recall = try #require(
                try await web.api(
                    .post, "/api/v1/bulk-sends/preview", token: token, json: #"{"templateId":\#(template.id)}"#
                ).json() as? [String: Any])
            #expect((recall["excluded"] as? [String: Int])?["noConsent"] == 1)
            // An advisor has no bulk-send form and no outbox, but records an opt-out heard at the counter.
            let advisor = try await web.signedIn("advisor-a")
            _ = try await advisor.get("/account")
            #expect(try await advisor.get("/stores/\(storeA)/messaging").status == .forbidden)
            #expect(!(try await advisor.get("/stores/\(storeA)/bulk-sends").text.contains("bulk-form")))
            #expect(
                try await advisor.post("/stores/\(storeA)/opt-outs", [("phone", "138 1234 5678"), ("note", "柜台")])
                    .status == .seeOther)
            #expect(
                try await advisor.post("/stores/\(storeA)/opt-outs", [("phone", "12345")]).status
                    == .unprocessableContent)
            #expect(
                try await advisor.post("/stores/\(storeA)/opt-outs/remove", [("phone", "13812345678")]).status
                    == .forbidden)
        }
    }
}
