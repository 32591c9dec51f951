import Foundation

/// A small push XML scanner for the parts of an XLSX file: start tags with their attributes, end tags
/// and text, fed in chunks of any size (a tag cut by a chunk boundary waits for the next chunk). It skips
/// declarations, comments and processing instructions and decodes the five named entities and numeric
/// character references. Foundation's XMLParser wants the whole document or a stream it pulls itself.
struct XMLScanner {
    enum Event {
        case start(name: Substring, attributes: [Substring: String], selfClosing: Bool)
        case end(name: Substring)
        case text(String)
    }

    private var pending: [UInt8] = []

    /// Scans what it can of `bytes` (after anything left from the last call) and reports each event.
    mutating func feed(_ bytes: some Collection<UInt8>, _ handle: (Event) throws -> Void) rethrows {
        pending.append(contentsOf: bytes)
        var index = 0
        let count = pending.count
        try pending.withUnsafeBufferPointer { buffer in
            while index < count {
                if buffer[index] != UInt8(ascii: "<") {
                    // Text runs to the next tag; at the end of the chunk it waits, unless nothing follows.
                    var end = index
                    while end < count && buffer[end] != UInt8(ascii: "<") { end += 1 }
                    guard end < count else { break }
                    try handle(.text(Self.decode(buffer[index..<end])))
                    index = end
                    continue
                }
                guard let close = Self.tagEnd(buffer, from: index) else { break }
                let tag = buffer[(index + 1)..<close]
                index = close + 1
                guard let first = tag.first else { continue }
                if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { continue }
                if first == UInt8(ascii: "/") {
                    try handle(.end(name: Self.name(tag.dropFirst()).name))
                    continue
                }
                let selfClosing = tag.last == UInt8(ascii: "/")
                let body = selfClosing ? tag.dropLast() : tag
                let (name, length) = Self.name(body)
                try handle(
                    .start(name: name, attributes: Self.attributes(body.dropFirst(length)), selfClosing: selfClosing))
                if selfClosing { try handle(.end(name: name)) }
            }
        }
        pending.removeFirst(index)
    }

    /// The `>` closing the tag at `start`, outside quoted attribute values; nil when it is not here yet.
    private static func tagEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var quote: UInt8 = 0
        var index = start + 1
        // Comments may hold '>' and run long: find their own end.
        if buffer.count - start >= 4, buffer[start + 1] == UInt8(ascii: "!"), buffer[start + 2] == UInt8(ascii: "-") {
            while index + 2 < buffer.count {
                if buffer[index] == UInt8(ascii: "-") && buffer[index + 1] == UInt8(ascii: "-")
                    && buffer[index + 2] == UInt8(ascii: ">")
                {
                    return index + 2
                }
                index += 1
            }
            return nil
        }
        while index < buffer.count {
            let byte = buffer[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The tag's name without its namespace prefix (`x:row` is `row`), and how many bytes it took.
    private static func name(_ tag: Slice<UnsafeBufferPointer<UInt8>>) -> (name: Substring, length: Int) {
        var end = tag.startIndex
        while end < tag.endIndex, !isSpace(tag[end]), tag[end] != UInt8(ascii: "/") { end += 1 }
        let full = String(decoding: tag[tag.startIndex..<end], as: UTF8.self)
        let length = end - tag.startIndex
        if let colon = full.lastIndex(of: ":") { return (full[full.index(after: colon)...], length) }
        return (full[...], length)
    }

    private static func attributes(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> [Substring: String] {
        var result: [Substring: String] = [:]
        var index = text.startIndex
        while index < text.endIndex {
            while index < text.endIndex && isSpace(text[index]) { index += 1 }
            let nameStart = index
            while index < text.endIndex && text[index] != UInt8(ascii: "=") && !isSpace(text[index]) { index += 1 }
            let rawName = String(decoding: text[nameStart..<index], as: UTF8.self)
            while index < text.endIndex && text[index] != UInt8(ascii: "\"") && text[index] != UInt8(ascii: "'") {
                index += 1
            }
            guard index < text.endIndex else { break }
            let quote = text[index]
            index += 1
            let valueStart = index
            while index < text.endIndex && text[index] != quote { index += 1 }
            let value = decode(text[valueStart..<min(index, text.endIndex)])
            index += 1
            let name = rawName.split(separator: ":").last.map { $0 } ?? rawName[...]
            if !name.isEmpty { result[name] = value }
        }
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Text with entities and character references replaced.
    static func decode(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        var result = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                result += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalar: UInt32? =
                    entity.hasPrefix("#x") || entity.hasPrefix("#X")
                    ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let scalar, let value = Unicode.Scalar(scalar) {
                    result.unicodeScalars.append(value)
                } else {
                    result += "&" + entity + ";"
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return result + rest
    }
}
