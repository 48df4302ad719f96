extension Entity {
    /// How a request's attributes are merged into an entity.
    package struct MergeOptions: Sendable {
        /// `options=overrideMetadata`: the request's metadata replace the stored ones instead of being merged.
        package var overrideMetadata = false
        package init(overrideMetadata: Bool = false) { self.overrideMetadata = overrideMetadata }
    }

    /// Creates or replaces the attribute of `update`, keeping its creation date, and returns whether the
    /// attribute existed.
    ///
    /// Metadata are sticky: those the request does not name are kept, unless `overrideMetadata` is set
    /// (orion-api.md, "Metadata update semantics"). An update without a type keeps the stored type.
    @discardableResult
    package mutating func merge(_ update: AttributeUpdate, at now: Double, options: MergeOptions) -> Bool {
        if let index = attributeIndex(named: update.name) {
            let existing = attributes[index]
            attributes[index] = Entity.resolve(update, existing: existing, now: now, options: options)
            return true
        }
        guard update.value.createsAttribute else { return false }
        attributes.append(Entity.resolve(update, existing: nil, now: now, options: options))
        return false
    }

    /// Merges several updates in order, as ``merge(_:at:options:)`` does one by one.
    ///
    /// The attributes are found through a hash index of their names: a request may carry tens of thousands of
    /// attributes within the payload limit, and a scan of the entity per update made such a request cost seconds
    /// of CPU inside the write transaction.
    package mutating func merge(_ updates: [AttributeUpdate], at now: Double, options: MergeOptions) {
        guard updates.count > 1, attributes.count + updates.count > 16 else {
            for update in updates { merge(update, at: now, options: options) }
            return
        }
        var positions = [String: Int](minimumCapacity: attributes.count + updates.count)
        for (position, attribute) in attributes.enumerated() where positions[attribute.name] == nil {
            positions[attribute.name] = position
        }
        for update in updates {
            if let position = positions[update.name] {
                attributes[position] = Entity.resolve(
                    update, existing: attributes[position], now: now, options: options)
            } else if update.value.createsAttribute {
                positions[update.name] = attributes.count
                attributes.append(Entity.resolve(update, existing: nil, now: now, options: options))
            }
        }
    }

    /// The names of the entity's attributes.
    package var attributeNames: Set<String> { Set(attributes.lazy.map(\.name)) }

    /// The attribute `update` leaves, given the stored one.
    package static func resolve(_ update: AttributeUpdate, existing: Attribute?, now: Double, options: MergeOptions)
        -> Attribute
    {
        var value = existing.map { update.value.apply(to: $0.value) } ?? update.value.valueForCreation
        var metadata: [Metadata]
        if let given = update.metadata {
            if options.overrideMetadata || existing == nil {
                metadata = given
            } else {
                metadata = existing?.metadata ?? []
                for item in given {
                    if let index = metadata.firstIndex(where: { $0.name == item.name }) {
                        metadata[index] = item
                    } else {
                        metadata.append(item)
                    }
                }
            }
        } else {
            metadata = options.overrideMetadata ? [] : existing?.metadata ?? []
        }
        let type = update.type ?? existing?.type ?? value.defaultNGSIType
        var attribute = Attribute(
            name: update.name, type: type, value: value, metadata: metadata,
            created: existing?.created ?? now, modified: now)
        if attribute.isDateTime, case .string(let text) = value, let seconds = DateTimeFormat.parse(text) {
            value = .number(seconds)
            attribute.value = value
        }
        return attribute
    }

    /// Applies the `dateExpires` attribute, if any, to ``expires``: Orion keeps it as a builtin, not as a
    /// user attribute (orion-api.md, "Transient entities").
    package mutating func extractExpiration() {
        guard let index = attributeIndex(named: "dateExpires") else { return }
        if case .number(let seconds) = attributes[index].value {
            expires = seconds
        } else if attributes[index].value == .null {
            expires = nil
        }
        attributes.remove(at: index)
    }
}
