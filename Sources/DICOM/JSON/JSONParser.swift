/// A strict JSON parser (RFC 8259) over bytes, with limits on nesting depth and input size, for reading
/// DICOM JSON (PS3.18 Annex F) from untrusted sources.
///
/// Errors are ``DICOMError`` with code ``DICOMError/Code/invalidJSON`` and the byte offset of the defect.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    static let defaultMaximumDepth = 128
    /// The largest input accepted, in bytes.
    static let defaultMaximumSize = 1 << 30

    private let bytes: [UInt8]
    private var position = 0
    private let maximumDepth: Int

    /// Parses one JSON document; only whitespace may follow it.
    static func parse(
        _ input: some Collection<UInt8>, maximumDepth: Int = defaultMaximumDepth,
        maximumSize: Int = defaultMaximumSize
    ) throws(DICOMError) -> JSONValue {
        guard input.count <= maximumSize else {
            throw DICOMError(.invalidJSON, "the JSON input is larger than \(maximumSize) bytes", offset: maximumSize)
        }
        var parser = JSONParser(bytes: Array(input), maximumDepth: maximumDepth)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private func error(_ message: String) -> DICOMError {
        DICOMError(.invalidJSON, message, offset: position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(DICOMError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw error("the JSON input ends where a value was expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character where a JSON value was expected")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(DICOMError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("the JSON input ends inside a literal") }
        for index in 0..<count where bytes[position + index] != literal.utf8Start[index] {
            throw error("invalid JSON literal")
        }
        position += count
    }

    private mutating func parseObject(depth: Int) throws(DICOMError) -> JSONValue {
        guard depth <= maximumDepth else { throw error("JSON nested deeper than \(maximumDepth) levels") }
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a string key in a JSON object")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after a JSON object key")
            }
            position += 1
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            guard position < bytes.count else { throw error("the JSON input ends inside an object") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw error("expected ',' or '}' in a JSON object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(DICOMError) -> JSONValue {
        guard depth <= maximumDepth else { throw error("JSON nested deeper than \(maximumDepth) levels") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            let element = try parseValue(depth: depth)
            elements.append(element)
            skipWhitespace()
            guard position < bytes.count else { throw error("the JSON input ends inside an array") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw error("expected ',' or ']' in a JSON array")
            }
        }
    }

    private mutating func parseNumber() throws(DICOMError) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw error("the JSON input ends inside a number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard try digits() > 0 else { throw error("a JSON number needs digits") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard try digits() > 0 else { throw error("a JSON number needs digits after '.'") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard try digits() > 0 else { throw error("a JSON number needs exponent digits") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func digits() throws(DICOMError) -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        return position - start
    }

    private mutating func parseString() throws(DICOMError) -> String {
        position += 1  // opening quote
        var result: [UInt8] = []
        while true {
            guard position < bytes.count else { throw error("the JSON input ends inside a string") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: result, as: UTF8.self) else {
                    throw error("a JSON string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw error("the JSON input ends inside an escape") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escape)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by an escaped low surrogate.
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else { throw error("unpaired surrogate in a JSON string") }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw error("unpaired surrogate in a JSON string")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else {
                        throw error("unpaired surrogate in a JSON string")
                    }
                    result.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw error("invalid escape in a JSON string")
                }
            case 0x00..<0x20:
                throw error("unescaped control character in a JSON string")
            default:
                result.append(byte)
                position += 1
            }
        }
    }

    private mutating func hex4() throws(DICOMError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("the JSON input ends inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let nibble = hexNibble(bytes[position]) else { throw error("invalid \\u escape in a JSON string") }
            value = value << 4 | UInt32(nibble)
            position += 1
        }
        return value
    }
}
