import JSON

/// The broker's view of the JSON core's parser: Orion's depth limit, the later of two equal keys kept in the
/// first one's position (found through a hash index, so large payloads parse in linear time), numbers as
/// doubles.
package enum JSONParser {
    /// Orion refuses payloads nested more than 50 levels deep (orion-ngsiv2-facts §1.7).
    package static let maximumDepth = 50

    /// Why a document was refused.
    package enum Failure: Error, Equatable {
        case syntax
        case tooDeep
    }

    private static let options = JSON.JSONParser.Options(
        maximumDepth: maximumDepth, duplicateKeys: .lastValueInFirstPosition, invalidUTF8: .replace)

    /// Parses one JSON document; surrounding whitespace is allowed, anything else after the value is not.
    /// - Throws: ``Failure``.
    package static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        do {
            return JSONValue(try JSON.JSONParser.parse(bytes, options: options))
        } catch {
            throw error.code == .tooDeep ? .tooDeep : .syntax
        }
    }

    /// Parses a JSON document given as a string.
    package static func parse(_ text: String) throws(Failure) -> JSONValue {
        do {
            return JSONValue(try JSON.JSONParser.parse(text, options: options))
        } catch {
            throw error.code == .tooDeep ? .tooDeep : .syntax
        }
    }
}

extension JSONValue {
    /// The broker's value of a core value: numbers read as doubles, as Orion reads them.
    init(_ value: JSON.JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let number): self = .number(number.doubleValue ?? .nan)
        case .string(let value): self = .string(value)
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .object(let members): self = .object(members.map { ($0.key, JSONValue($0.value)) })
        }
    }
}
