package import NIOCore

/// A strict JSON parser (RFC 8259) over a contiguous view of bytes, with limits on depth and size, for text from
/// untrusted sources.
///
/// The bytes are read in place (a `ByteBuffer`'s readable bytes, an array's storage) and never copied; strings
/// without escapes are decoded straight from the view. Errors are ``JSONError`` with the offset of the defect.
package struct JSONParser: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private let options: Options
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeRawBufferPointer, options: Options) {
        self.bytes = bytes
        self.options = options
    }

    /// Parses one JSON text; only whitespace may surround the value.
    /// - Throws: ``JSONError``.
    package static func parse(_ bytes: UnsafeRawBufferPointer, options: Options = Options()) throws(JSONError)
        -> JSONValue
    {
        if let maximumSize = options.maximumSize, bytes.count > maximumSize {
            throw JSONError(.tooLarge, "the JSON input is larger than \(maximumSize) bytes", offset: maximumSize)
        }
        var parser = JSONParser(bytes: bytes, options: options)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw JSONError(.trailingCharacters, "unexpected text after the JSON value", offset: parser.index)
        }
        return value
    }

    /// Parses the readable bytes of `buffer`, which it leaves unchanged.
    /// - Throws: ``JSONError``.
    package static func parse(_ buffer: ByteBuffer, options: Options = Options()) throws(JSONError) -> JSONValue {
        let result = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONError) in try parse(bytes, options: options) }
        }
        return try result.get()
    }

    /// Parses bytes from any collection, in place when its storage is contiguous.
    /// - Throws: ``JSONError``.
    package static func parse(_ bytes: some Collection<UInt8>, options: Options = Options()) throws(JSONError)
        -> JSONValue
    {
        let contiguous = bytes.withContiguousStorageIfAvailable { bytes in
            Result { () throws(JSONError) in try parse(UnsafeRawBufferPointer(bytes), options: options) }
        }
        if let contiguous { return try contiguous.get() }
        let copy = Array(bytes).withUnsafeBytes { bytes in
            Result { () throws(JSONError) in try parse(bytes, options: options) }
        }
        return try copy.get()
    }

    /// Parses the UTF-8 of `text`.
    /// - Throws: ``JSONError``.
    package static func parse(_ text: String, options: Options = Options()) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(JSONError) in try parse(UnsafeRawBufferPointer(bytes), options: options) }
        }
        return try result.get()
    }

    // MARK: - Values

    private func error(_ code: JSONError.Code, _ message: String) -> JSONError {
        JSONError(code, message, offset: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        guard index < bytes.count else {
            throw error(.unexpectedEnd, "the JSON input ends where a value was expected")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default: return .number(try parseNumber())
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error(.invalidLiteral, "the JSON input ends inside a literal") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw error(.invalidLiteral, "invalid JSON literal")
        }
        index += count
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= options.maximumDepth else {
            throw error(.tooDeep, "JSON nested deeper than \(options.maximumDepth) levels")
        }
        index += 1
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enter()
        var members: [(key: String, value: JSONValue)] = []
        // Positions of the keys once an object is large enough that a scan per key would cost: a payload of
        // 40,000 attributes took seconds of CPU with a scan.
        var positions: [String: Int]?
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error(.expectedKey, "expected a string key in a JSON object")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error(.expectedColon, "expected ':' after a JSON object key")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            switch options.duplicateKeys {
            case .keepAll:
                members.append((key, value))
            case .lastValueInFirstPosition:
                if positions == nil, members.count >= 16 {
                    var keyPositions = [String: Int](minimumCapacity: 64)
                    for (position, member) in members.enumerated() { keyPositions[member.key] = position }
                    positions = keyPositions
                }
                let existing = if let positions { positions[key] } else { members.firstIndex { $0.key == key } }
                if let existing {
                    members[existing].value = value
                } else {
                    positions?[key] = members.count
                    members.append((key, value))
                }
            }
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd, "the JSON input ends inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(members)
            default:
                throw error(.expectedComma, "expected ',' or '}' in a JSON object")
            }
        }
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error(.unexpectedEnd, "the JSON input ends inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default:
                throw error(.expectedComma, "expected ',' or ']' in a JSON array")
            }
        }
    }

    // MARK: - Numbers

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        switch options.numbers {
        case .strict:
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else {
                if index == start {
                    throw error(.unexpectedCharacter, "unexpected character where a JSON value was expected")
                }
                throw error(.invalidNumber, "a JSON number needs digits")
            }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                skipDigits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard skipDigits() > 0 else { throw error(.invalidNumber, "a JSON number needs digits after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard skipDigits() > 0 else { throw error(.invalidNumber, "a JSON number needs exponent digits") }
            }
            return JSONNumber(literal: text(start..<index))
        case .lenient:
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            while index < bytes.count, isNumberByte(bytes[index]) { index += 1 }
            let literal = text(start..<index)
            guard !literal.isEmpty, literal != "-" else {
                throw error(.unexpectedCharacter, "unexpected character where a JSON value was expected")
            }
            guard Double(literal) != nil else { throw error(.invalidNumber, "invalid JSON number") }
            return JSONNumber(literal: literal)
        }
    }

    private func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
            UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index - start
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    // MARK: - Strings

    private mutating func parseString() throws(JSONError) -> String {
        index += 1  // the opening quote
        let start = index
        // The common case: no escapes, decoded straight from the view.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try decode(UnsafeRawBufferPointer(rebasing: bytes[start..<index]), at: index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else {
                throw error(.controlCharacter, "unescaped control character in a JSON string")
            }
            index += 1
        }
        var result = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw error(.unterminatedString, "the JSON input ends inside a string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let decoded = result.withUnsafeBytes { bytes in
                    Result { () throws(JSONError) in try decode(bytes, at: index) }
                }
                let text = try decoded.get()
                index += 1
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else {
                    throw error(.unterminatedString, "the JSON input ends inside an escape")
                }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escape)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(try unicodeEscape(), to: &result)
                default: throw error(.invalidEscape, "invalid escape in a JSON string")
                }
            case 0x00..<0x20:
                throw error(.controlCharacter, "unescaped control character in a JSON string")
            default:
                result.append(byte)
                index += 1
            }
        }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(JSONError) -> String {
        let units = bytes.bindMemory(to: UInt8.self)
        if let text = String(validating: units, as: UTF8.self) { return text }
        guard options.invalidUTF8 == .replace else {
            throw JSONError(.invalidUTF8, "a JSON string is not valid UTF-8", offset: offset)
        }
        return String(decoding: units, as: UTF8.self)
    }

    /// The scalar of a `\u` escape whose `u` was read, joining a surrogate pair.
    private mutating func unicodeEscape() throws(JSONError) -> Unicode.Scalar {
        let replace = options.unpairedSurrogates == .replace
        let code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
            // A high surrogate must be followed by an escaped low surrogate.
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let mark = index
                index += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                }
                guard replace else { throw error(.unpairedSurrogate, "unpaired surrogate in a JSON string") }
                index = mark  // the second escape is read on its own
                return "\u{FFFD}"
            }
            guard replace else { throw error(.unpairedSurrogate, "unpaired surrogate in a JSON string") }
            return "\u{FFFD}"
        }
        guard let scalar = Unicode.Scalar(code) else {
            guard replace else { throw error(.unpairedSurrogate, "unpaired surrogate in a JSON string") }
            return "\u{FFFD}"
        }
        return scalar
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error(.shortEscape, "the JSON input ends inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidEscape, "invalid \\u escape in a JSON string")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: Unicode.Scalar, to result: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            result.append(UInt8(value))
        case 0x80..<0x800:
            result.append(UInt8(0xC0 | value >> 6))
            result.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            result.append(UInt8(0xE0 | value >> 12))
            result.append(UInt8(0x80 | value >> 6 & 0x3F))
            result.append(UInt8(0x80 | value & 0x3F))
        default:
            result.append(UInt8(0xF0 | value >> 18))
            result.append(UInt8(0x80 | value >> 12 & 0x3F))
            result.append(UInt8(0x80 | value >> 6 & 0x3F))
            result.append(UInt8(0x80 | value & 0x3F))
        }
    }
}
