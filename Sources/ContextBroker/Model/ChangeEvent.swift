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
    /// The request that made the change, as its notifications carry it.
    package var origin: ChangeOrigin
    /// The event's key in the tenant's change journal (`-notifOutbox`), `nil` when it is not journaled.
    package var journalKey: Int64?

    package init(
        kind: Kind, tenant: String, previous: Entity?, current: Entity?, changedAttributes: [String],
        origin: ChangeOrigin = ChangeOrigin()
    ) {
        self.kind = kind
        self.tenant = tenant
        self.previous = previous
        self.current = current
        self.changedAttributes = changedAttributes
        self.origin = origin
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

/// What the request that made a change gives the notifications it causes.
package struct ChangeOrigin: Sendable, Equatable {
    /// The root of the request's `Fiware-Correlator` (the part before any `;`): notifications send it with
    /// `; cbnotif=N`.
    package var correlator: String
    /// Whether the request's correlator came from a notification (it had a `cbnotif` part): an update made by a
    /// notification's receiver.
    package var fromNotification: Bool
    /// The request's `X-Auth-Token`, propagated to its notifications.
    package var authToken: String?
    /// `options=flowControl`: the request waits for the notification queue to drain (`-notifFlowControl`).
    package var flowControl: Bool

    package init(
        correlator: String = "", fromNotification: Bool = false, authToken: String? = nil, flowControl: Bool = false
    ) {
        self.correlator = correlator
        self.fromNotification = fromNotification
        self.authToken = authToken
        self.flowControl = flowControl
    }

    /// The origin of a request with `correlator` (its `Fiware-Correlator`, or the one generated for it).
    package init(requestCorrelator correlator: String, authToken: String?, flowControl: Bool) {
        let root = correlator.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        self.init(
            correlator: String(root).trimmingWhitespace(), fromNotification: correlator.contains("cbnotif="),
            authToken: authToken, flowControl: flowControl)
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
