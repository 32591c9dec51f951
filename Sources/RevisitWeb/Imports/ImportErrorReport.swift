import Foundation
import RevisitCore
import RevisitStorage

/// A run's rejected rows as the CSV the page offers and the CLI writes: line, column, reason.
public enum ImportErrorReport {
    public static func csv(
        run: ImportRun, store: SQLImportStore, localizer: Localizer, language: Language, scope: Scope
    ) async throws -> [UInt8] {
        let writer = CSVWriter()
        var text = writer.line([
            localizer.text("import.report.line", language), localizer.text("import.report.column", language),
            localizer.text("import.report.reason", language),
        ])
        for problem in try await store.problems(importId: run.id, limit: 10_000_000, scope: scope) {
            text += writer.line([
                String(problem.line), problem.column,
                localizer.message(code: problem.code, args: problem.args, language),
            ])
        }
        return CSVWriter.byteOrderMark + Array(text.utf8)
    }
}
