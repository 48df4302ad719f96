import Foundation

/// The `${…}` macros of custom notifications, with Orion's basic replacement (orion-api.md, "Custom
/// Notifications"; a build without the JEXL library): `${id}`, `${type}`, `${service}`, `${servicePath}`,
/// `${authToken}` and `${<attribute>}`, an attribute winning over a builtin of the same name.
///
/// A macro over a name the context lacks (or an expression, which needs JEXL) gives `null`. In text the value
/// is stringified (a string as it is, anything else as compact JSON); a JSON string that is exactly one macro
/// takes the value with its JSON type.
struct NotificationMacros: Sendable {
    /// The values macros name.
    private let values: [String: JSONValue]

    /// - Parameters:
    ///   - entity: the notified entity; its attribute values are rendered (dates as ISO 8601).
    ///   - tenant: `service` (empty for the default tenant).
    ///   - authToken: the triggering request's `X-Auth-Token`, if any.
    init(entity: Entity, tenant: String, authToken: String?) {
        var values: [String: JSONValue] = [
            "id": .string(entity.id), "type": .string(entity.type), "service": .string(tenant),
            "servicePath": .string(entity.servicePath),
        ]
        if let authToken { values["authToken"] = .string(authToken) }
        for attribute in entity.attributes { values[attribute.name] = EntityRenderer.renderedValue(attribute) }
        self.values = values
    }

    /// The value of the macro whose inside is `name` (spaces around it ignored), `null` when unknown.
    func value(of name: Substring) -> JSONValue {
        values[String(name).trimmingWhitespace()] ?? .null
    }

    /// `text` with every macro replaced by its stringified value; an unterminated `${` is kept as text.
    func expand(_ text: String) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            result += rest[..<start.lowerBound]
            result += Self.stringified(value(of: rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return result
    }

    /// A `json` payload with the macros of its strings expanded (keys are kept as they are).
    func expand(_ json: JSONValue) -> JSONValue {
        switch json {
        case .string(let text):
            if text.hasPrefix("${"), text.hasSuffix("}"), text.utf8.count >= 3 {
                let inside = text.dropFirst(2).dropLast()
                if !inside.contains("}"), !inside.contains("${") { return value(of: inside) }
            }
            return .string(expand(text))
        case .array(let elements): return .array(elements.map(expand))
        case .object(let members): return .object(members.map { ($0.0, expand($0.1)) })
        case .null, .bool, .number: return json
        }
    }

    /// A value as text: a string as it is, anything else as its compact JSON.
    static func stringified(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.serialized
    }
}
