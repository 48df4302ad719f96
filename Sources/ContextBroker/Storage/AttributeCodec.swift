import Persistence

/// The stored form of an entity's attributes: one JSON object, in attribute order.
///
/// `{"<name>":{"t":<type>,"v":<value>,"md":{"<name>":{"t":..,"v":..}},"c":<created>,"m":<modified>}}`.
/// Queries reach a value with the JSON path `$."<name>".v`, so SQLite can filter, sort and index it.
enum AttributeCodec {
    static func encode(_ attributes: [Attribute]) -> String {
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(attributes.count)
        for attribute in attributes {
            var fields: [(String, JSONValue)] = [("t", .string(attribute.type)), ("v", attribute.value)]
            if !attribute.metadata.isEmpty {
                fields.append(
                    (
                        "md",
                        .object(
                            attribute.metadata.map { ($0.name, .object([("t", .string($0.type)), ("v", $0.value)])) })
                    )
                )
            }
            if let created = attribute.created { fields.append(("c", .number(created))) }
            if let modified = attribute.modified { fields.append(("m", .number(modified))) }
            members.append((attribute.name, .object(fields)))
        }
        return JSONValue.object(members).serialized
    }

    static func decode(_ text: String) throws(PersistenceError) -> [Attribute] {
        guard case .object(let members)? = try? JSONParser.parse(text) else {
            throw PersistenceError(.corruptedRecord, "stored attributes are not a JSON object")
        }
        return members.map { name, stored in
            var metadata: [Metadata] = []
            if case .object(let items)? = stored["md"] {
                metadata = items.map {
                    Metadata(name: $0.0, type: $0.1["t"]?.stringValue ?? "None", value: $0.1["v"] ?? .null)
                }
            }
            var created: Double?
            var modified: Double?
            if case .number(let value)? = stored["c"] { created = value }
            if case .number(let value)? = stored["m"] { modified = value }
            return Attribute(
                name: name, type: stored["t"]?.stringValue ?? "None", value: stored["v"] ?? .null,
                metadata: metadata, created: created, modified: modified)
        }
    }

    /// The JSON path literal of a stored attribute's value: `$."<name>".v`, then the compound path.
    /// Names never hold `"` or `\` (forbidden characters), so quoting them is enough.
    static func valuePath(attribute: String, subpath: [String] = []) -> String {
        var path = "$.\"\(attribute)\".v"
        for token in subpath { path += ".\"\(token)\"" }
        return path
    }

    /// The JSON path of a stored metadata value.
    static func metadataPath(attribute: String, metadata: String, subpath: [String] = []) -> String {
        var path = "$.\"\(attribute)\".md.\"\(metadata)\".v"
        for token in subpath { path += ".\"\(token)\"" }
        return path
    }
}
