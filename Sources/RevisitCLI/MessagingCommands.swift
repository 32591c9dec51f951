import ArgumentParser
import Foundation
import RevisitCore
import RevisitStorage

struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Message templates of a store.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace a template; an unknown {{variable}} is refused.",
            discussion: "Variables: " + TemplateVariable.allCases.map { "{{\($0.rawValue)}}" }.joined(separator: " "))

        @Option(help: "Code of the store.") var store: String
        @Option(help: "Name of the template (unique in the store).") var name: String
        @Option(help: "marketing or service.") var kind: String
        @Option(help: "The text, with {{variables}}.") var text: String
        @Option(help: "zh-CN (default) or en.") var language: String = Language.default.rawValue
        @Option(help: "reminder.<type> to speak for a reminder rule.") var purpose: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let kind = MessageKind(rawValue: kind) else {
                throw ValidationError("--kind must be marketing or service")
            }
            guard let language = Language(loose: language) else {
                throw ValidationError("--language must be zh-CN or en")
            }
            try await CLI.run {
                try await database.withDatabase(logger: CLI.logger) { db, _ in
                    let target = try await SQLIdentityStore(database: db, now: { Date() }).store(
                        code: store.uppercased(), scope: .system)
                    let messaging = SQLMessagingStore(database: db, now: { Date() })
                    let existing = try? await messaging.template(named: name, storeId: target.id, scope: .system)
                    let saved = try await messaging.saveTemplate(
                        TemplateDraft(name: name, kind: kind, language: language, purpose: purpose, body: text),
                        id: existing?.id, storeId: target.id, scope: .system)
                    let preview = saved.render([:])
                    print(
                        "\(existing == nil ? "created" : "replaced") template \(saved.name) (#\(saved.id), \(saved.kind.rawValue)): "
                            + "\(SMSSegments(preview).parts) SMS part(s) before variables")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a store's templates.")
        @Option(help: "Code of the store.") var store: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.run {
                try await database.withDatabase(logger: CLI.logger) { db, _ in
                    let target = try await SQLIdentityStore(database: db, now: { Date() }).store(
                        code: store.uppercased(), scope: .system)
                    for template in try await SQLMessagingStore(database: db, now: { Date() }).templates(
                        storeId: target.id, scope: .system)
                    {
                        print(
                            "\(template.name)\t\(template.kind.rawValue)\t\(template.purpose ?? "")\t\(template.body)")
                    }
                }
            }
        }
    }
}

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Bulk-send a template to the customers the filters select (the customer list's filters).",
        discussion: """
            Filters: \(CustomerQueryFilters.names.joined(separator: ", ")), e.g. --filter churnStage=at_risk. \
            Consent, opt-outs, the monthly cap and a mobile number are checked per customer; the last line is \
            {"candidates":n,"excluded":{…},"queued":n}. With --dry-run nothing is queued.
            """)

    @Option(help: "Code of the store.") var store: String
    @Option(help: "Name of the template.") var template: String
    @Option(name: .customLong("filter"), help: "key=value; repeat for several.") var filters: [String] = []
    @Flag(name: .customLong("dry-run"), help: "Only count and show a sample.") var dryRun = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var pairs: [String: String] = [:]
        for filter in filters {
            let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--filter takes key=value, got '\(filter)'") }
            pairs[parts[0]] = parts[1]
        }
        let filterPairs = pairs
        try await CLI.run {
            let query = try CustomerQueryFilters.query(filterPairs)
            try await database.withDatabase(logger: CLI.logger) { db, _ in
                let target = try await SQLIdentityStore(database: db, now: { Date() }).store(
                    code: store.uppercased(), scope: .system)
                let messaging = SQLMessagingStore(database: db, now: { Date() })
                let chosen = try await messaging.template(named: template, storeId: target.id, scope: .system)
                // One pass over the customers: the send itself, or a preview when it is a dry run or reaches
                // nobody (then the counts still say why).
                var preview: BulkSendPreview?
                var queued = 0
                if !dryRun {
                    do {
                        let send = try await messaging.createBulkSend(
                            templateId: chosen.id, query: query, filters: filterPairs, storeId: target.id,
                            scope: .system)
                        preview = send.preview
                        queued = send.status == .queued ? send.preview.recipients : 0
                    } catch let error as RevisitError where error.code == .noRecipients {}
                }
                let counts: BulkSendPreview
                if let preview {
                    counts = preview
                } else {
                    counts = try await messaging.previewBulkSend(
                        templateId: chosen.id, query: query, storeId: target.id, scope: .system)
                }
                StoreRunCommand.log(
                    "\(target.code): \(counts.recipients) of \(counts.candidates) customers"
                        + (counts.held > 0 ? " (\(counts.held) held for quiet hours)" : "")
                        + "; \(counts.segments.parts) SMS part(s) each; sample: \(counts.sampleText)")
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let summary = SendSummary(
                    candidates: counts.candidates, excluded: counts.excludedByName, queued: queued)
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            }
        }
    }
}

/// The contract's last line of `revisit send`.
struct SendSummary: Encodable {
    let candidates: Int
    let excluded: [String: Int]
    let queued: Int
}
