import Foundation
import Testing

@testable import RevisitCore

/// DOMAIN §6's rules, pinned: template variables, the opt-out hint, SMS counting, consent, opt-out,
/// the monthly cap, quiet hours across midnight and time zones, stop words, back-off.
@Suite struct MessagingRulesTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func instant(_ text: String, _ zone: TimeZone) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test func aTemplateWithAnUnknownOrBrokenVariableIsRefusedNamingIt() throws {
        let text = try TemplateText("{{customerName}}{{customerTitle}}您好，{{ plate }}保养到期")
        #expect(text.variables == [.customerName, .customerTitle, .plate])
        #expect(
            text.render([.customerName: "王", .customerTitle: "先生", .plate: "京A12345"]) == "王先生您好，京A12345保养到期")
        // A variable without a value renders as nothing, not as its name.
        #expect(text.render([.customerName: "王"]) == "王您好，保养到期")
        do {
            _ = try TemplateText("您好 {{custmerName}}")
            Issue.record("an unknown variable was accepted")
        } catch {
            #expect(error.code == .templateUnknownVariable)
            #expect(error.args["name"] == "custmerName")
        }
        #expect(throws: RevisitError.self) { try TemplateText("您好 {{customerName") }
        #expect(throws: RevisitError.self) { try TemplateText("您好 {{}}") }
        #expect(throws: RevisitError.self) {
            try TemplateDraft(name: "x", kind: .service, body: "{{nope}}").validated()
        }
        #expect(throws: RevisitError.self) { try TemplateDraft(name: "", kind: .service, body: "hi").validated() }
        #expect(throws: RevisitError.self) {
            try TemplateDraft(name: "x", kind: .service, purpose: "reminder.nothing", body: "hi").validated()
        }
    }

    @Test func marketingTextsEndWithTheOptOutHintExactlyOnce() throws {
        let template = MessageTemplate(
            id: 1, storeId: 1, name: "活动", kind: .marketing, channel: .sms, language: .zhCN, purpose: nil,
            body: try TemplateDraft(name: "活动", kind: .marketing, body: "{{customerName}}您好，周末八折。回T退订").validated()
                .body,
            createdBy: "x", createdAt: Date(), updatedAt: Date())
        // The typed hint was taken off when saved and the system adds it once.
        #expect(template.body == "{{customerName}}您好，周末八折。")
        #expect(template.render([.customerName: "李"]) == "李您好，周末八折。回T退订")
        var service = template
        service.kind = .service
        #expect(service.render([.customerName: "李"]) == "李您好，周末八折。")
        var english = template
        english.language = .en
        #expect(english.render([.customerName: "Li"]) == "Li您好，周末八折。 Reply T to opt out")
    }

    @Test func smsPartsAre70ChineseCharactersAnd67WhenSplit() {
        #expect(SMSSegments("").parts == 0)
        #expect(SMSSegments(String(repeating: "保", count: 70)).parts == 1)
        #expect(SMSSegments(String(repeating: "保", count: 71)).parts == 2)
        #expect(SMSSegments(String(repeating: "保", count: 134)).parts == 2)
        #expect(SMSSegments(String(repeating: "保", count: 135)).parts == 3)
        // Plain Latin text goes 160 to a message, 153 per part.
        #expect(SMSSegments(String(repeating: "a", count: 160)).parts == 1)
        #expect(SMSSegments(String(repeating: "a", count: 161)).parts == 2)
        // One Chinese character makes the whole text UCS-2.
        let mixed = SMSSegments(String(repeating: "a", count: 70) + "保")
        #expect(mixed.unicode && mixed.parts == 2 && mixed.characters == 71)
    }

    func facts(
        mobile: String? = "13800138000", marketing: Bool = true, service: Bool = true, optedOut: Bool = false,
        sent: Int = 0
    ) -> RecipientFacts {
        RecipientFacts(
            mobile: mobile, marketingConsent: marketing, serviceConsent: service, optedOut: optedOut,
            marketingThisMonth: sent)
    }

    @Test func refusalsComeInOrderAndServiceMessagesFollowTheirOwnConsent() {
        let settings = MessagingSettings()
        let noon = instant("2026-03-02 12:00", shanghai)
        func decide(_ kind: MessageKind, _ recipient: RecipientFacts) -> SendDecision {
            SendPolicy.decide(kind: kind, recipient: recipient, settings: settings, now: noon, zone: shanghai)
        }
        #expect(decide(.marketing, facts()) == .send)
        #expect(decide(.marketing, facts(mobile: nil, optedOut: true)) == .refuse(.noMobile))
        #expect(decide(.marketing, facts(marketing: false, optedOut: true)) == .refuse(.optedOut))
        #expect(decide(.marketing, facts(marketing: false)) == .refuse(.noConsent))
        #expect(decide(.marketing, facts(sent: 3)) == .send)
        #expect(decide(.marketing, facts(sent: 4)) == .refuse(.capped))
        // An opt-out and the cap are about marketing; a service message needs the service consent only.
        #expect(decide(.service, facts(marketing: false, optedOut: true, sent: 9)) == .send)
        #expect(decide(.service, facts(service: false)) == .refuse(.noConsent))
        var uncapped = settings
        uncapped.monthlyCap = 0
        #expect(SendPolicy.refusal(kind: .marketing, recipient: facts(sent: 99), settings: uncapped) == nil)
    }

    @Test func quietHoursHoldMarketingUntilTheMorningInTheStoresZone() {
        let settings = MessagingSettings()
        // 21:00 is inside; the release is 08:00 the next morning.
        #expect(
            QuietHours.release(now: instant("2026-03-02 21:00", shanghai), zone: shanghai, settings: settings)
                == instant("2026-03-03 08:00", shanghai))
        // After midnight the release is the same morning; 08:00 itself is outside.
        #expect(
            QuietHours.release(now: instant("2026-03-03 07:59", shanghai), zone: shanghai, settings: settings)
                == instant("2026-03-03 08:00", shanghai))
        #expect(
            QuietHours.release(now: instant("2026-03-03 08:00", shanghai), zone: shanghai, settings: settings) == nil)
        #expect(
            QuietHours.release(now: instant("2026-03-03 20:59", shanghai), zone: shanghai, settings: settings) == nil)
        // The store's own clock: 13:30 UTC is 21:30 in Shanghai but 09:30 in New York.
        let utc = instant("2026-03-03 13:30", TimeZone(identifier: "UTC")!)
        #expect(QuietHours.release(now: utc, zone: shanghai, settings: settings) != nil)
        #expect(
            QuietHours.release(now: utc, zone: TimeZone(identifier: "America/New_York")!, settings: settings) == nil)
        // A window that does not cross midnight (a siesta), and none at all.
        var siesta = settings
        siesta.quietStart = 12 * 60
        siesta.quietEnd = 14 * 60
        #expect(
            QuietHours.release(now: instant("2026-03-03 13:00", shanghai), zone: shanghai, settings: siesta)
                == instant("2026-03-03 14:00", shanghai))
        #expect(QuietHours.release(now: instant("2026-03-03 22:00", shanghai), zone: shanghai, settings: siesta) == nil)
        var none = settings
        none.quietEnd = none.quietStart
        #expect(QuietHours.release(now: instant("2026-03-03 23:00", shanghai), zone: shanghai, settings: none) == nil)
        // Service messages are not held.
        #expect(
            SendPolicy.decide(
                kind: .service, recipient: facts(), settings: settings, now: instant("2026-03-02 23:00", shanghai),
                zone: shanghai) == .send)
        #expect(
            SendPolicy.decide(
                kind: .marketing, recipient: facts(), settings: settings, now: instant("2026-03-02 23:00", shanghai),
                zone: shanghai) == .hold(until: instant("2026-03-03 08:00", shanghai)))
    }

    @Test func stopWordsMatchWithoutCaseSpacesOrPunctuation() {
        let keywords = MessagingSettings().optOutKeywords
        for text in ["TD", "td", " T ", "退订", "退订。", "n", "T！"] {
            #expect(OptOutKeywords.matches(text, keywords: keywords), "\(text)")
        }
        for text in ["好的", "TDD", "", "不退订了谢谢", "ok"] {
            #expect(!OptOutKeywords.matches(text, keywords: keywords), "\(text)")
        }
        var settings = MessagingSettings()
        settings.optOutKeywords = [" stop ", ""]
        #expect((try? settings.validated())?.optOutKeywords == ["STOP"])
        settings.optOutKeywords = [" "]
        #expect(throws: RevisitError.self) { try settings.validated() }
    }

    @Test func settingsKeepDefaultsForWhatAPartialDocumentLeavesOut() throws {
        let partial = try JSONDecoder().decode(MessagingSettings.self, from: Data(#"{"monthlyCap":2}"#.utf8))
        #expect(partial.monthlyCap == 2 && partial.quietStart == 21 * 60 && partial.optOutKeywords.contains("退订"))
        #expect(MessagingSettings.minutes("8:30") == 510)
        #expect(MessagingSettings.minutes("24:00") == nil)
        #expect(MessagingSettings.clock(1260) == "21:00")
        var bad = MessagingSettings()
        bad.quietStart = 1440
        #expect(throws: RevisitError.self) { try bad.validated() }
    }

    @Test func failedSendsBackOffDoublingUpToACapAndThenGiveUp() {
        let retry = RetryPolicy(base: 15, cap: 600, maxAttempts: 5)
        #expect((1...7).map { retry.delay(afterAttempt: $0) } == [15, 30, 60, 120, 240, 480, 600])
        #expect(!retry.gaveUp(afterAttempt: 4))
        #expect(retry.gaveUp(afterAttempt: 5))
    }

    @Test func reminderMessagesSayWhatTheyAreFor() throws {
        for type in ReminderType.allCases {
            for language in Language.allCases {
                // Every built-in text is a valid template.
                _ = try TemplateText(ReminderMessages.defaultBody(type, language: language))
            }
        }
        #expect(
            ReminderMessages.occasion(reason: "greeting.festival", args: ["festival": "mid_autumn"], language: .zhCN)
                == "中秋节快乐")
        #expect(ReminderMessages.occasion(reason: "greeting.birthday", args: [:], language: .zhCN) == "生日快乐")
        #expect(
            ReminderMessages.occasion(reason: "greeting.anniversary", args: ["years": "3"], language: .zhCN)
                == "购车3周年快乐")
    }

    @Test func customerListFiltersReadAndWriteAsPairs() throws {
        let query = try CustomerQueryFilters.query(["churnStage": "at_risk", "valueClass": "A", "consentSms": "1"])
        #expect(query.churnStage == .atRisk && query.valueClass == .a && query.consentSMS == true)
        #expect(CustomerQueryFilters.pairs(query) == ["churnStage": "at_risk", "valueClass": "A", "consentSms": "1"])
        #expect(throws: RevisitError.self) { try CustomerQueryFilters.query(["churnStage": "gone"]) }
        #expect(throws: RevisitError.self) { try CustomerQueryFilters.query(["colour": "red"]) }
    }

    @Test func aRecipientIsAddressedByGenderOnlyWhenAPerson() {
        var recipient = Recipient(
            customerId: 1, name: "王芳", gender: .female, type: .individual, mobile: "13800138000",
            marketingConsent: true, serviceConsent: true, plate: "京A12345", vin: "", vehicleModel: "", advisorName: "张")
        #expect(recipient.title(.zhCN) == "女士")
        #expect(recipient.values(storeName: "甲店", storePhone: "010", language: .zhCN)[.plate] == "京A12345")
        recipient.type = .company
        #expect(recipient.title(.zhCN) == "")
    }
}
