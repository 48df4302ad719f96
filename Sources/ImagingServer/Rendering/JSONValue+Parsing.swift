import JSON

extension JSONValue {
    /// How the REST API has always read JSON: lenient numbers, invalid text replaced, the later of two equal
    /// keys kept, 256 levels.
    private static let options = JSON.JSONParser.Options(
        maximumDepth: 256, invalidUTF8: .replace, unpairedSurrogates: .replace, numbers: .lenient)

    /// Parses a JSON document (RFC 8259) with the JSON core.
    ///
    /// - Throws: `OrthancError.badJSON` on malformed text, trailing bytes or nesting deeper than 256 levels,
    ///   with the detail text the REST API has always given.
    package init(parsing bytes: some Collection<UInt8>) throws {
        do {
            self.init(try JSON.JSONParser.parse(bytes, options: Self.options))
        } catch {
            throw OrthancError(.badJSON, Self.details(of: error))
        }
    }

    private init(_ value: JSON.JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let number):
            if number.isInteger, let integer = number.int64Value {
                self = .int(integer)
            } else {
                self = .double(number.doubleValue ?? .nan)
            }
        case .string(let value): self = .string(value)
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .object(let members):
            var dictionary = [String: JSONValue](minimumCapacity: members.count)
            for member in members { dictionary[member.key] = JSONValue(member.value) }
            self = .object(dictionary)
        }
    }

    private static func details(of error: JSONError) -> String {
        switch error.code {
        case .trailingCharacters: "trailing characters"
        case .tooDeep: "nesting too deep"
        case .unexpectedEnd: "unexpected end"
        case .unterminatedString: "unterminated string"
        case .shortEscape: "short escape"
        case .invalidLiteral: "bad literal"
        case .expectedKey: "expected a key"
        case .expectedColon: "expected a colon"
        case .expectedComma: "expected a comma"
        case .invalidEscape: "bad escape"
        case .controlCharacter: "control character in a string"
        case .invalidNumber: "bad number"
        default: "unexpected character"
        }
    }
}
