/// What one write did to one entity: the input of subscription matching.
///
/// Every create, update and delete produces one event, built by ``EntityWriter`` (the one commit point of entity
/// writes) and handed to the broker's ``ChangeSink`` after the transaction that made the change has committed.
package struct ChangeEvent: Sendable, Equatable {
    /// The kind of change, named as Orion's `alterationType` values (orion-api.md, "Subscriptions based in
    /// alteration type").
    package enum Kind: String, Sendable {
        case entityCreate
        case entityUpdate
        case entityChange
        case entityDelete
    }

    /// The kind of change.
    package var kind: Kind
    /// The tenant (`Fiware-Service`), empty for the default one.
    package var tenant: String
    /// The entity before the change (`nil` on create).
    package var previous: Entity?
    /// The entity after the change (`nil` on delete).
    package var current: Entity?
    /// The names of the attributes the request touched (for `entityDelete`, every attribute).
    package var changedAttributes: [String]

    package init(kind: Kind, tenant: String, previous: Entity?, current: Entity?, changedAttributes: [String]) {
        self.kind = kind
        self.tenant = tenant
        self.previous = previous
        self.current = current
        self.changedAttributes = changedAttributes
    }

    /// The entity's id, type and service path.
    package var entity: Entity? { current ?? previous }

    /// The alteration type of a write that turned `previous` into `current` (orion-api.md, "Subscriptions based
    /// in alteration type"): `entityCreate` without a previous entity, `entityDelete` without a current one,
    /// `entityUpdate` when the attributes, their types, values and metadata are all unchanged (unless
    /// `options=forcedUpdate` makes the update count as a change), `entityChange` otherwise.
    package static func kind(previous: Entity?, current: Entity?, forced: Bool) -> Kind {
        guard let previous else { return .entityCreate }
        guard let current else { return .entityDelete }
        return current.hasSameContent(as: previous) && !forced ? .entityUpdate : .entityChange
    }
}

/// Receives the change events of committed writes; subscriptions implement it.
package protocol ChangeSink: Sendable {
    /// Called once per changed entity, after commit, in commit order for one request.
    func entitiesChanged(_ events: [ChangeEvent]) async
}

/// A sink that drops every event, used while nothing subscribes.
package struct DiscardingChangeSink: ChangeSink {
    package init() {}
    package func entitiesChanged(_ events: [ChangeEvent]) async {}
}
