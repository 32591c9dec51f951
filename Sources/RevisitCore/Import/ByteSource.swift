import Foundation

/// Where a file's bytes come from, read front to back in chunks so memory stays flat whatever the size.
public protocol ByteSource {
    /// Up to `maxLength` more bytes; empty at the end.
    mutating func read(maxLength: Int) throws -> [UInt8]
}

/// A file on disk, read with plain POSIX reads.
public final class FileByteSource: ByteSource {
    private let handle: FileHandle
    private let path: String
    public let size: Int64
    /// Bytes handed out so far, for progress.
    public private(set) var offset: Int64 = 0

    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RevisitError(.validation, code: .importUnreadable, field: "file", args: ["file": path])
        }
        self.handle = handle
        self.path = path
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        self.size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    deinit { try? handle.close() }

    /// Straight into the array with read(2): through `Data` every byte was copied once more.
    public func read(maxLength: Int) throws -> [UInt8] {
        let descriptor = handle.fileDescriptor
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: maxLength) { buffer, count in
            count = 0
            while count < maxLength {
                let got = Foundation.read(descriptor, buffer.baseAddress! + count, maxLength - count)
                if got > 0 {
                    count += got
                } else if got == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        guard failure == 0 else {
            throw RevisitError(.validation, code: .importUnreadable, field: "file", args: ["file": path])
        }
        offset += Int64(bytes.count)
        return bytes
    }
}

/// Bytes already in memory (tests, small uploads).
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    public mutating func read(maxLength: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + maxLength)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}
