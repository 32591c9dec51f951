import ArgumentParser
import Foundation
import RevisitCore
import RevisitStorage
import RevisitWeb

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a DMS export (CSV in UTF-8/GB18030/UTF-16, or XLSX) into a store.",
        discussion: """
            Rows upsert by the DMS's keys (customer number, VIN, repair-order number + line number): importing \
            the same file again changes nothing. Bad rows are reported with their line, column and reason while \
            the good rows land; the report is written as CSV beside the current folder. A killed import run \
            again on the same file continues from its last committed batch. The last line of output is a JSON \
            summary.
            """)

    @Option(help: "The store's code.") var store: String
    @Option(help: "customers, vehicles, repair-orders or lines.") var kind: String
    @Option(help: "A column mapping saved for the store.") var mapping: String?
    @Option(help: "The file's encoding when detection gets it wrong: utf-8, gb18030 (gbk), utf-16.")
    var encoding: String?
    @Option(help: "The sheet of an XLSX file (default: the first).") var sheet: String?
    @Flag(help: "Read and check every row, write nothing.") var dryRun = false
    @Option(help: "Language of the error report: zh-CN or en.") var lang: String = "zh-CN"
    @Option(help: "Rows per committed batch.") var batchSize: Int = ImportRunner.defaultBatchSize
    @Argument(help: "The file.") var file: String
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard ImportKind(rawValue: kind) != nil else {
            throw ValidationError("--kind must be one of: customers, vehicles, repair-orders, lines")
        }
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding must be utf-8, gb18030 (gbk) or utf-16")
        }
        guard (1...50_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 50000") }
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
    }

    func run() async throws {
        try await CLI.run {
            let language = Language(loose: lang) ?? .default
            let localizer = try Localizer.load(from: WebResources.directory.appendingPathComponent("i18n"))
            let (summary, refused): (String, Bool) = try await database.withDatabase(logger: CLI.logger) { db, _ in
                let identity = SQLIdentityStore(database: db, now: { Date() })
                let target = try await identity.store(code: store.uppercased(), scope: .system)
                let importStore = SQLImportStore(database: db, now: { Date() })
                let bar = ProgressBar()
                let run = try await Importer(store: importStore, batchSize: batchSize).run(
                    path: file,
                    .init(
                        storeId: target.id, kind: ImportKind(rawValue: kind)!,
                        fileName: URL(fileURLWithPath: file).lastPathComponent, mappingName: mapping,
                        encoding: encoding.flatMap(TextEncoding.init(name:)), sheet: sheet, dryRun: dryRun),
                    scope: .system
                ) { run, fraction in bar.show(rows: run.counts.read, fraction: fraction) }
                bar.finish()
                if run.status == .refused, let code = run.messageCode.flatMap(ErrorCode.init(rawValue:)) {
                    let message = localizer.message(code: code, args: run.messageArgs, language)
                    FileHandle.standardError.write(Data("revisit: \(message)\n".utf8))
                }
                var errorsFile: String?
                if run.counts.rejected > 0 {
                    let path = "revisit-import-\(run.id)-errors.csv"
                    let report = try await ImportErrorReport.csv(
                        run: run, store: importStore, localizer: localizer, language: language, scope: .system)
                    try Data(report).write(to: URL(fileURLWithPath: path))
                    errorsFile = path
                }
                return (ImportReport.summary(run, errorsFile: errorsFile), run.status != .done)
            }
            print(summary)
            // A refused file is a failed command for scripts; rejected rows in a good file are not.
            if refused { throw ExitCode(2) }
        }
    }
}

/// The import's summary as the JSON line scripts read.
enum ImportReport {
    static func summary(_ run: ImportRun, errorsFile: String?) -> String {
        var object: [String: Any] = [
            "read": run.counts.read, "inserted": run.counts.inserted, "updated": run.counts.updated,
            "unchanged": run.counts.unchanged, "rejected": run.counts.rejected, "errorsFile": errorsFile ?? NSNull(),
            "importId": run.id, "status": run.status.rawValue, "dryRun": run.dryRun,
        ]
        if let code = run.messageCode { object["error"] = code }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A one-line progress bar on a terminal (rows, rows per second, share of the file and time left);
/// silent when stderr is not a terminal, so scripts see only the summary.
final class ProgressBar: @unchecked Sendable {
    private let started = Date()
    private let enabled = isatty(FileHandle.standardError.fileDescriptor) != 0
    private let lock = NSLock()

    func show(rows: Int, fraction: Double?) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let seconds = max(0.001, Date().timeIntervalSince(started))
        let rate = Int(Double(rows) / seconds)
        var line = "\r\(rows) rows  \(rate) rows/s"
        if let fraction, fraction > 0 {
            let width = 30
            let filled = min(width, Int(fraction * Double(width)))
            let left = seconds / fraction - seconds
            line += "  [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            line += String(format: " %3d%%  ETA %ds", Int(fraction * 100), Int(left.rounded()))
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
