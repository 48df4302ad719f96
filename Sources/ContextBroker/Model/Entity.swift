/// An NGSIv2 entity: identified by (id, type, service path), carrying ordered attributes.
///
/// Timestamps are seconds since 1970 (UTC), as Orion keeps them (`creDate`, `modDate` in database_model.md).
package struct Entity: Sendable, Equatable {
    /// The entity id.
    package var id: String
    /// The entity type (`Thing` when the client gave none).
    package var type: String
    /// The service path the entity belongs to (`/` by default).
    package var servicePath: String
    /// When the entity was created.
    package var created: Double
    /// When the entity was last modified.
    package var modified: Double
    /// When the entity expires (`dateExpires`), if it is transient.
    package var expires: Double?
    /// The attributes, in creation order.
    package var attributes: [Attribute]

    package init(
        id: String, type: String, servicePath: String, created: Double, modified: Double, expires: Double? = nil,
        attributes: [Attribute]
    ) {
        self.id = id
        self.type = type
        self.servicePath = servicePath
        self.created = created
        self.modified = modified
        self.expires = expires
        self.attributes = attributes
    }

    /// The type given to entities created without one (orion-api.md, "Entity representation").
    package static let defaultType = "Thing"

    /// Whether `other` has the same attributes, types, values and metadata, timestamps aside: what decides
    /// between Orion's `entityUpdate` (nothing changed) and `entityChange`.
    package func hasSameContent(as other: Entity) -> Bool {
        attributes.count == other.attributes.count
            && zip(attributes, other.attributes).allSatisfy {
                $0.name == $1.name && $0.type == $1.type && $0.value == $1.value && $0.metadata == $1.metadata
            } && expires == other.expires
    }

    /// The attribute named `name`.
    package func attribute(named name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    /// The index of the attribute named `name`.
    package func attributeIndex(named name: String) -> Int? {
        attributes.firstIndex { $0.name == name }
    }
}

/// An NGSIv2 attribute: a name, a type, a value and metadata.
package struct Attribute: Sendable, Equatable {
    /// The attribute name.
    package var name: String
    /// The attribute type.
    package var type: String
    /// The value; a `DateTime` value is kept as seconds since 1970 and rendered as ISO 8601.
    package var value: JSONValue
    /// The metadata, in creation order.
    package var metadata: [Metadata]
    /// When the attribute was created.
    package var created: Double?
    /// When the attribute was last modified.
    package var modified: Double?

    package init(
        name: String, type: String, value: JSONValue, metadata: [Metadata] = [], created: Double? = nil,
        modified: Double? = nil
    ) {
        self.name = name
        self.type = type
        self.value = value
        self.metadata = metadata
        self.created = created
        self.modified = modified
    }

    /// Whether the value is a date: type `DateTime` (or its alias `ISO8601`) without `ignoreType` metadata.
    package var isDateTime: Bool {
        (type == "DateTime" || type == "ISO8601") && !ignoresType
    }

    /// Whether `ignoreType` metadata is set to true (orion-api.md, "Special metadata types").
    package var ignoresType: Bool {
        metadata.contains { $0.name == "ignoreType" && $0.value == .bool(true) }
    }
}

/// A metadata item of an attribute.
package struct Metadata: Sendable, Equatable {
    /// The metadata name.
    package var name: String
    /// The metadata type.
    package var type: String
    /// The value; a `DateTime` value is kept as seconds since 1970.
    package var value: JSONValue

    package init(name: String, type: String, value: JSONValue) {
        self.name = name
        self.type = type
        self.value = value
    }

    /// Whether the value is a date.
    package var isDateTime: Bool { type == "DateTime" || type == "ISO8601" }
}
