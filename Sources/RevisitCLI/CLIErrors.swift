import ArgumentParser
import Foundation
import Logging
import RevisitCore
import RevisitStorage
import RevisitWeb

/// Runs a command body and turns refusals into one readable line on stderr and exit code 1.
enum CLI {
    static let logger: Logger = {
        var logger = Logger(label: "revisit.cli")
        logger.logLevel = .warning
        return logger
    }()

    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as RevisitError {
            let message =
                (try? Localizer.load(from: WebResources.directory.appendingPathComponent("i18n")))?
                .message(for: error, .en) ?? "\(error.code.rawValue)"
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            throw ExitCode.failure
        } catch let error as ExitCode {
            throw error
        } catch {
            let message = DatabaseErrorText.describe(error) ?? "\(error)"
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Reads a password without echo when a terminal is attached; nil otherwise.
    static func promptPassword(_ prompt: String) -> String? {
        guard isatty(0) == 1, let raw = getpass(prompt) else { return nil }
        return String(cString: raw)
    }
}
