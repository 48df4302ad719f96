/// Reads NGSIv2 request bodies (normalized and `keyValues`) into model values, with Orion's checks and texts.
package enum PayloadDecoder {
    /// An entity as `POST /v2/entities` or a batch operation carries it.
    package struct EntityPayload: Sendable, Equatable {
        package var id: String
        package var type: String?
        package var attributes: [AttributeUpdate]
    }

    /// Reads an entity object.
    /// - Parameters:
    ///   - json: the entity object.
    ///   - keyValues: attribute members are plain values (`options=keyValues`).
    ///   - idRequired: whether a missing id is an error (it is everywhere but in `op/update` deletes by type).
    /// - Throws: ``NGSIError``.
    package static func entity(_ json: JSONValue, keyValues: Bool) throws(NGSIError) -> EntityPayload {
        guard case .object(let members) = json else {
            throw NGSIError(.parseError, "Errors found in incoming JSON buffer")
        }
        var id: String?
        var type: String?
        var attributeMembers: [(String, JSONValue)] = []
        for (key, value) in members {
            switch key {
            case "id":
                guard case .string(let text) = value else {
                    throw NGSIError(.badRequest, "Invalid JSON type for entity id")
                }
                id = text
            case "type":
                guard case .string(let text) = value else {
                    throw NGSIError(.badRequest, "Invalid JSON type for entity type")
                }
                type = text
            default:
                attributeMembers.append((key, value))
            }
        }
        guard let id else {
            throw NGSIError(.badRequest, "entity id length: 0, min length supported: 1")
        }
        try Validation.checkIdentifier(id, "entity id")
        if let type { try Validation.checkIdentifier(type, "entity type") }
        let attributes = try self.attributes(.object(attributeMembers), keyValues: keyValues)
        return EntityPayload(id: id, type: type, attributes: attributes)
    }

    /// Reads the attributes object of `/v2/entities/{id}/attrs` (or the attribute members of an entity).
    /// - Throws: ``NGSIError``.
    package static func attributes(_ json: JSONValue, keyValues: Bool) throws(NGSIError) -> [AttributeUpdate] {
        guard case .object(let members) = json else {
            throw NGSIError(.parseError, "Errors found in incoming JSON buffer")
        }
        var result: [AttributeUpdate] = []
        for (name, value) in members {
            if name == "id" || name == "type" { continue }
            result.append(try attribute(named: name, value, keyValues: keyValues))
        }
        return result
    }

    /// Reads one attribute: an object `{type, value, metadata}`, or a plain value with `keyValues`.
    /// - Throws: ``NGSIError``.
    package static func attribute(named name: String, _ json: JSONValue, keyValues: Bool) throws(NGSIError)
        -> AttributeUpdate
    {
        try Validation.checkIdentifier(name, "attribute name")
        if keyValues {
            let update = UpdateValue(json)
            if case .value(let value) = update {
                try Validation.checkValue(value, "attribute value")
            }
            // A key-value attribute carries no type: it takes the default type of its value, also when it
            // updates an attribute that had another type (Orion's keyValues updates).
            return AttributeUpdate(name: name, type: update.typeHint.defaultNGSIType, value: update, metadata: nil)
        }
        guard case .object(let members) = json else {
            throw NGSIError(.badRequest, "attribute must be a JSON object, unless keyValues option is used")
        }
        var type: String?
        var value: JSONValue = .null
        var metadata: [Metadata]?
        for (key, member) in members {
            switch key {
            case "type":
                guard case .string(let text) = member else {
                    throw NGSIError(.badRequest, "invalid JSON type for attribute type")
                }
                try Validation.checkIdentifier(text, "attribute type")
                type = text
            case "value":
                value = member
            case "metadata":
                metadata = try self.metadata(member)
            default:
                break
            }
        }
        // The builtin `dateExpires` makes an entity transient; it must be a date (orion-api.md, "Transient
        // entities").
        if name == "dateExpires", let type, type != "DateTime" {
            throw NGSIError(.badRequest, "error processing date expiration attribute, see log traces")
        }
        let update = UpdateValue(value)
        let unrestricted =
            type == "TextUnrestricted"
            || (metadata ?? []).contains { $0.name == "TextUnrestricted" && $0.value == .bool(true) }
        if case .value(let plain) = update, !unrestricted {
            try Validation.checkValue(plain, "attribute value")
        }
        if case .value(.string(let text)) = update, type == "DateTime" || type == "ISO8601",
            !(metadata ?? []).contains(where: { $0.name == "ignoreType" && $0.value == .bool(true) })
        {
            guard DateTimeFormat.parse(text) != nil else {
                throw NGSIError(.badRequest, "date has invalid format")
            }
        }
        return AttributeUpdate(name: name, type: type, value: update, metadata: metadata)
    }

    /// Reads a metadata object `{name: {type, value}}`.
    /// - Throws: ``NGSIError``.
    package static func metadata(_ json: JSONValue) throws(NGSIError) -> [Metadata] {
        guard case .object(let members) = json else {
            throw NGSIError(.badRequest, "metadata must be a JSON object")
        }
        var result: [Metadata] = []
        for (name, member) in members {
            try Validation.checkIdentifier(name, "metadata name")
            guard case .object(let fields) = member else {
                throw NGSIError(.badRequest, "metadata must be a JSON object")
            }
            var type: String?
            var value: JSONValue = .null
            for (key, field) in fields {
                switch key {
                case "type":
                    guard case .string(let text) = field else {
                        throw NGSIError(.badRequest, "invalid JSON type for attribute metadata type")
                    }
                    try Validation.checkIdentifier(text, "metadata type")
                    type = text
                case "value":
                    value = field
                default:
                    throw NGSIError(.badRequest, "invalid JSON field for attribute metadata")
                }
            }
            try Validation.checkValue(value, "metadata value")
            let resolvedType = type ?? value.defaultNGSIType
            if resolvedType == "DateTime" || resolvedType == "ISO8601", case .string(let text) = value {
                guard let seconds = DateTimeFormat.parse(text) else {
                    throw NGSIError(.badRequest, "date has invalid format")
                }
                value = .number(seconds)
            }
            // `dateCreated` and `dateModified` are builtin metadata: values a client gives are ignored, and the
            // broker's own dates are rendered when they are asked for (orion-api.md, "Builtin metadata").
            if name == "dateCreated" || name == "dateModified" { continue }
            result.append(Metadata(name: name, type: resolvedType, value: value))
        }
        return result
    }
}
