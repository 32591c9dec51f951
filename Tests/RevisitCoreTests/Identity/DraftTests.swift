import Foundation
import RevisitCore
import Testing

@Suite struct DraftTests {
    @Test func storeCodesAreUpperCasedAndChecked() throws {
        let draft = try StoreDraft(code: " bj01 ", name: " 北京店 ").validated()
        #expect(draft.code == "BJ01")
        #expect(draft.name == "北京店")
        #expect(draft.timeZone == "Asia/Shanghai")
        #expect(throws: RevisitError(.validation, code: .invalidCode, field: "code")) {
            try StoreDraft(code: "北京", name: "x").validated()
        }
    }

    @Test func anEmptyNameAndAnOverLongNameAreRefusedWithTheirField() {
        #expect(throws: RevisitError(.validation, code: .required, field: "name")) {
            try StoreDraft(code: "A", name: "  ").validated()
        }
        #expect(throws: RevisitError(.validation, code: .tooLong, field: "name", args: ["max": "100"])) {
            try StoreDraft(code: "A", name: String(repeating: "店", count: 101)).validated()
        }
    }

    @Test func anUnknownTimeZoneIsRefused() {
        #expect(
            throws: RevisitError(.validation, code: .unknownTimeZone, field: "timeZone", args: ["value": "Mars/Base"])
        ) {
            try StoreDraft(code: "A", name: "a", timeZone: "Mars/Base").validated()
        }
    }

    @Test func storeRolesNeedAStoreAndAnalystsAGroup() throws {
        #expect(throws: RevisitError(.validation, code: .storeRequired, field: "stores")) {
            try UserDraft(login: "sa", name: "SA", role: .serviceAdvisor).validated()
        }
        #expect(throws: RevisitError(.validation, code: .groupRequired, field: "group")) {
            try UserDraft(login: "ga", name: "GA", role: .groupAnalyst).validated()
        }
        let admin = try UserDraft(login: "Root", name: "R", role: .admin, groupId: 3, storeIds: [1]).validated()
        #expect(admin.login == "root" && admin.storeIds.isEmpty && admin.groupId == nil)
        let advisor = try UserDraft(login: "sa", name: "SA", role: .serviceAdvisor, groupId: 3, storeIds: [2, 1, 2])
            .validated()
        #expect(advisor.storeIds == [1, 2] && advisor.groupId == nil)
    }

    @Test func loginsAreShortLowerCaseWords() {
        #expect(throws: RevisitError(.validation, code: .invalidLogin, field: "login")) {
            try UserDraft(login: "王 五", name: "x", role: .admin).validated()
        }
        #expect(throws: RevisitError(.validation, code: .invalidLogin, field: "login")) {
            try UserDraft(login: "a", name: "x", role: .admin).validated()
        }
    }
}
