/// A parsed JSON value (RFC 8259) whose objects keep their members in document order and whose numbers keep
/// their literal text.
///
/// NGSIv2 renders attributes in the order they were written, and DICOM JSON keeps the text of DS and IS values,
/// so neither order nor number text is normalised here; each face turns this value into its own model.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as its literal text.
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    /// An object's members in document order.
    case object([(key: String, value: JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value of the first member named `key`, or `nil` when this is not an object or has no such member.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
