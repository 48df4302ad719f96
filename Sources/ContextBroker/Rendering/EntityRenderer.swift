/// Renders entities as Orion does: compact JSON, attributes in order, builtins only when asked for.
package enum EntityRenderer {
    /// Builtin attributes (orion-api.md, "Builtin Attributes").
    static let builtinAttributes: Set<String> = ["dateCreated", "dateModified", "dateExpires"]

    /// The attributes to render, in order: user attributes, builtins when named by `attrs`.
    package static func selectedAttributes(_ entity: Entity, _ options: RenderOptions) -> [Attribute] {
        guard let names = options.attributes else { return entity.attributes }
        var result: [Attribute] = []
        var seen = Set<String>()
        func add(_ attribute: Attribute) {
            if seen.insert(attribute.name).inserted { result.append(attribute) }
        }
        for name in names {
            if name == "*" {
                for attribute in entity.attributes { add(attribute) }
            } else if let attribute = entity.attribute(named: name) {
                add(attribute)
            } else if let builtin = builtinAttribute(name, of: entity) {
                add(builtin)
            }
        }
        return result
    }

    private static func builtinAttribute(_ name: String, of entity: Entity) -> Attribute? {
        switch name {
        case "dateCreated": return Attribute(name: name, type: "DateTime", value: .number(entity.created))
        case "dateModified": return Attribute(name: name, type: "DateTime", value: .number(entity.modified))
        case "dateExpires":
            guard let expires = entity.expires else { return nil }
            return Attribute(name: name, type: "DateTime", value: .number(expires))
        default: return nil
        }
    }

    /// The attribute's value as rendered: dates as ISO 8601 text.
    package static func renderedValue(_ attribute: Attribute) -> JSONValue {
        if attribute.isDateTime, case .number(let seconds) = attribute.value {
            return .string(DateTimeFormat.render(seconds))
        }
        return attribute.value
    }

    /// `{"type":…,"value":…,"metadata":{…}}`.
    package static func normalized(_ attribute: Attribute, _ options: RenderOptions) -> JSONValue {
        var metadata: [(String, JSONValue)] = []
        func add(_ item: Metadata) {
            guard !metadata.contains(where: { $0.0 == item.name }) else { return }
            var value = item.value
            if item.isDateTime, case .number(let seconds) = value { value = .string(DateTimeFormat.render(seconds)) }
            metadata.append((item.name, .object([("type", .string(item.type)), ("value", value)])))
        }
        if let names = options.metadata {
            for name in names {
                if name == "*" {
                    attribute.metadata.forEach(add)
                } else if let item = attribute.metadata.first(where: { $0.name == name }) {
                    add(item)
                } else if name == "dateCreated", let created = attribute.created {
                    add(Metadata(name: name, type: "DateTime", value: .number(created)))
                } else if name == "dateModified", let modified = attribute.modified {
                    add(Metadata(name: name, type: "DateTime", value: .number(modified)))
                }
            }
        } else {
            attribute.metadata.forEach(add)
        }
        return .object([
            ("type", .string(attribute.type)), ("value", renderedValue(attribute)), ("metadata", .object(metadata)),
        ])
    }

    /// The entity in the representation `options` asks for.
    /// - Parameter identity: include `id` and `type` (not for `/v2/entities/{id}/attrs`).
    package static func render(_ entity: Entity, _ options: RenderOptions, identity: Bool = true) -> JSONValue {
        let attributes = selectedAttributes(entity, options)
        switch options.format {
        case .values, .unique:
            var values = attributes.map(renderedValue)
            if options.format == .unique {
                var unique: [JSONValue] = []
                for value in values where !unique.contains(value) { unique.append(value) }
                values = unique
            }
            return .array(values)
        case .normalized, .keyValues:
            var members: [(String, JSONValue)] = []
            members.reserveCapacity(attributes.count + 2)
            if identity {
                members.append(("id", .string(entity.id)))
                members.append(("type", .string(entity.type)))
            }
            for attribute in attributes {
                members.append(
                    (
                        attribute.name,
                        options.format == .keyValues ? renderedValue(attribute) : normalized(attribute, options)
                    ))
            }
            return .object(members)
        }
    }

    /// A list of entities; with `unique`, equal value arrays are rendered once.
    package static func render(_ entities: [Entity], _ options: RenderOptions) -> JSONValue {
        var items = entities.map { render($0, options) }
        if options.format == .unique {
            var unique: [JSONValue] = []
            for item in items where !unique.contains(item) { unique.append(item) }
            items = unique
        }
        return .array(items)
    }
}
