/// Decides whether one change triggers one subscription, and which attributes its notification carries
/// (orion-api.md, "Notification Triggering" and "Subscriptions based in alteration type").
enum SubscriptionMatcher {
    /// The builtin attributes a notification may list (orion-api.md, "Builtin Attributes").
    static let builtinAttributes: Set<String> = ["dateCreated", "dateModified", "dateExpires", "alterationType"]

    /// The attributes to notify when `subscription` is triggered by `event`, or `nil` when it is not.
    ///
    /// - The subscription must be live (active or oneshot, not expired), an entity selector must cover the
    ///   entity, and its service path scope must contain the entity's.
    /// - Alteration types: `entityCreate` and `entityDelete` match their events; `entityUpdate` matches every
    ///   update, changed or not; `entityChange` an update that changed something (or was forced). A change of
    ///   metadata alone is no change with `notifyOnMetadataChange` false.
    /// - `condition.attrs`: one of them must be among the attributes created (on create), touched (for
    ///   `entityUpdate` and forced updates) or changed (for `entityChange`); `entityDelete` ignores them.
    /// - `q`, `mq` and the geo-query are evaluated against the entity after the change (before it, on delete).
    static func match(_ subscription: Subscription, scope: ServicePath.Scope, _ event: ChangeEvent, now: Double)
        -> [String]?
    {
        guard let entity = event.entity, subscription.isLive(at: now),
            subscription.subject.entities.contains(where: { covers($0, entity) }),
            contains(scope, entity.servicePath)
        else { return nil }
        let condition = subscription.subject.condition
        let types = condition.effectiveAlterationTypes
        // The attributes whose change counts for `condition.attrs`; nil when they are not consulted.
        var relevant: [String]?
        switch event.kind {
        case .entityCreate:
            guard types.contains(.entityCreate) else { return nil }
            relevant = entity.attributes.map(\.name)
        case .entityDelete:
            guard types.contains(.entityDelete) else { return nil }
        case .entityUpdate, .entityChange:
            let changed = changedAttributes(event, metadataCounts: condition.notifyOnMetadataChange)
            let forced =
                event.kind == .entityChange
                && (event.previous.flatMap { previous in event.current.map { previous.hasSameContent(as: $0) } }
                    ?? false)
            let isChange = event.kind == .entityChange && (forced || !changed.isEmpty)
            if types.contains(.entityUpdate) {
                relevant = event.changedAttributes
            } else if types.contains(.entityChange), isChange {
                relevant = forced ? event.changedAttributes : changed
            } else {
                return nil
            }
        }
        if !condition.attributes.isEmpty, let relevant, !relevant.contains(where: condition.attributes.contains) {
            return nil
        }
        let expression = condition.expression
        if let query = expression.query, !query.matches(entity) { return nil }
        if let query = expression.metadataQuery, !query.matches(entity) { return nil }
        if let geo = expression.geoQuery, geo.relation != nil {
            guard let location = (try? entity.location(creating: false)) ?? nil, geo.matches(location.geometry)
            else { return nil }
        }
        return notifiedAttributes(subscription.notification, entity: entity, touched: event.changedAttributes)
    }

    /// Whether an entity selector covers the entity.
    static func covers(_ selector: EntityQuery.Selector, _ entity: Entity) -> Bool {
        if let id = selector.id, id != entity.id { return false }
        if let pattern = selector.idPattern, !RegexCache.shared.matches(pattern: pattern, entity.id) { return false }
        if let type = selector.type, type != entity.type { return false }
        if let pattern = selector.typePattern, !RegexCache.shared.matches(pattern: pattern, entity.type) {
            return false
        }
        return true
    }

    /// Whether a service path scope contains `path`.
    static func contains(_ scope: ServicePath.Scope, _ path: String) -> Bool {
        if path == scope.path { return true }
        guard scope.recursive else { return false }
        return scope.path == "/" || path.hasPrefix(scope.path + "/")
    }

    /// The touched attributes that differ between the entity before and after the change: added, removed, or
    /// with another type or value (or other metadata, when `metadataCounts`).
    static func changedAttributes(_ event: ChangeEvent, metadataCounts: Bool) -> [String] {
        event.changedAttributes.filter { name in
            let before = event.previous?.attribute(named: name)
            let after = event.current?.attribute(named: name)
            guard let before, let after else { return before != nil || after != nil }
            return before.type != after.type || before.value != after.value
                || (metadataCounts && before.metadata != after.metadata)
        }
    }

    /// The attribute names a notification carries (see ``SubscriptionMatch/attributes``).
    static func notifiedAttributes(_ notification: SubscriptionNotification, entity: Entity, touched: [String])
        -> [String]
    {
        let names = entity.attributes.map(\.name)
        var selected: [String]
        if notification.attributes.isEmpty {
            selected = names
        } else if notification.excludesAttributes {
            selected = names.filter { !notification.attributes.contains($0) }
        } else {
            // `*` stands for every attribute of the entity, beside the builtins named with it.
            // A set of the names taken keeps this linear in the entity's attributes (an entity may have tens of
            // thousands).
            selected = []
            var taken = Set<String>()
            for name in notification.attributes {
                if name == "*" {
                    for attribute in names where taken.insert(attribute).inserted { selected.append(attribute) }
                } else if notification.covered || names.contains(name) || builtinAttributes.contains(name),
                    taken.insert(name).inserted
                {
                    selected.append(name)
                }
            }
        }
        if notification.onlyChangedAttributes {
            let changed = Set(touched)
            selected = selected.filter { changed.contains($0) || builtinAttributes.contains($0) }
        }
        return selected
    }
}
