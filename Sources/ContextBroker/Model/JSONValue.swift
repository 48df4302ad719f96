/// A JSON value whose objects keep their members in document order.
///
/// NGSIv2 renders attributes and metadata in the order they were created, so objects are ordered pairs, not
/// dictionaries. Numbers are doubles, as in Orion (orion-api.md, "Attribute value": JSON numbers).
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member named `key`, when this is an object that has it.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The string, when this is a string.
    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members, when this is an object.
    package var objectMembers: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The NGSIv2 default type of an attribute or metadata holding this value (orion-api.md, "Attribute
    /// type"): `Text`, `Number`, `Boolean`, `StructuredValue` or `None`.
    package var defaultNGSIType: String {
        switch self {
        case .null: return "None"
        case .bool: return "Boolean"
        case .number: return "Number"
        case .string: return "Text"
        case .array, .object: return "StructuredValue"
        }
    }
}
