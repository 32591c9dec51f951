import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import RevisitCore

/// A `multipart/form-data` upload streamed to disk: the file part goes straight into a file (a DMS
/// export may be hundreds of MB), the small text fields into a dictionary.
struct Upload: Sendable {
    var fields: [String: String] = [:]
    var fileName: String?
    var path: String?
    var size: Int64 = 0
}

enum UploadReceiver {
    /// Text fields larger than this are refused; the file part has `maxBytes`.
    static let maxFieldBytes = 64 * 1024

    static func receive(_ request: Request, into folder: URL, maxBytes: Int64) async throws -> Upload {
        guard let contentType = request.headers[.contentType],
            contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = boundary(contentType)
        else {
            throw RevisitError(.badRequest, code: .malformedForm)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let state = State(folder: folder, maxBytes: maxBytes)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        do {
            for try await buffer in request.body {
                try parser.execute(buffer)
                if let failure = state.failure { throw failure }
            }
        } catch {
            state.discard()
            if let failure = state.failure { throw failure }
            if error is RevisitError { throw error }
            throw RevisitError(.badRequest, code: .malformedForm)
        }
        return state.upload
    }

    static func boundary(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// `form-data; name="file"; filename="客户.csv"` (and RFC 5987's `filename*=UTF-8''…`).
    static func disposition(_ value: String) -> (name: String?, fileName: String?) {
        var name: String?
        var fileName: String?
        for part in value.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let raw = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            switch pair[0].lowercased() {
            case "name": name = raw
            case "filename": fileName = fileName ?? raw
            case "filename*":
                let encoded = raw.components(separatedBy: "''").last ?? raw
                fileName = encoded.removingPercentEncoding ?? encoded
            default: break
            }
        }
        return (name, fileName)
    }

    /// The parser's callbacks fill this; one request, one task.
    final class State: @unchecked Sendable {
        let folder: URL
        let maxBytes: Int64
        var upload = Upload()
        var failure: RevisitError?
        private var partName: String?
        private var partFile: String?
        private var text: [UInt8] = []
        private var handle: FileHandle?

        init(folder: URL, maxBytes: Int64) {
            self.folder = folder
            self.maxBytes = maxBytes
        }

        func header(_ name: String, _ value: String) {
            guard name.lowercased() == "content-disposition" else { return }
            (partName, partFile) = UploadReceiver.disposition(value)
            if partFile != nil, partName == "file", upload.path == nil {
                let path = folder.appendingPathComponent(UUID().uuidString.lowercased()).path
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                handle = FileHandle(forWritingAtPath: path)
                upload.path = path
                upload.fileName = partFile.map { URL(fileURLWithPath: $0).lastPathComponent }
            }
        }

        func body(_ buffer: inout ByteBuffer) {
            guard failure == nil else { return }
            if let handle {
                upload.size += Int64(buffer.readableBytes)
                guard upload.size <= maxBytes else {
                    failure = RevisitError(
                        .validation, code: .importTooLarge, field: "file", args: ["max": String(maxBytes >> 20)])
                    return
                }
                handle.write(Data(buffer.readableBytesView))
            } else {
                text.append(contentsOf: buffer.readableBytesView)
                if text.count > UploadReceiver.maxFieldBytes {
                    failure = RevisitError(.badRequest, code: .malformedForm)
                }
            }
        }

        func complete() {
            if let handle {
                try? handle.close()
                self.handle = nil
            } else if let partName {
                upload.fields[partName] = String(decoding: text, as: UTF8.self)
            }
            text = []
            partName = nil
            partFile = nil
        }

        func discard() {
            try? handle?.close()
            handle = nil
            if let path = upload.path { try? FileManager.default.removeItem(atPath: path) }
            upload.path = nil
        }
    }
}
