import Synchronization

/// Every tenant's subscriptions in memory, indexed so that a change finds its candidate subscriptions without
/// scanning them all; the notification side asks it which subscriptions a ``ChangeEvent`` triggers
/// (``matches(_:now:)``).
///
/// Orion keeps a full mirror of its subscriptions too (`-subCacheIval`, orion-ngsiv2-facts §2.6), but scans it for
/// every update. Here each tenant's index has three parts: subscriptions by exact entity id, subscriptions whose
/// `idPattern` comes with an exact `type` by that type, and the rest (patterns on both, or no type) in one list.
/// The candidates of an entity are the union of its id's entries, its type's entries and the list; only they are
/// checked. It is loaded from each tenant's database when the broker opens it and updated by every write of the
/// subscription routes, on the database's writer, in commit order.
package final class SubscriptionCache: Sendable {
    private let tenants = Mutex<[String: TenantIndex]>([:])
    private let counters = Mutex(Counters())

    /// The operation counters of `/cache/statistics`.
    private struct Counters {
        var refreshes = 0
        var inserts = 0
        var removes = 0
        var updates = 0
    }

    /// The longest `ids` list `/cache/statistics` gives in full (Orion's limit on the text).
    package static let idListLimit = 1024

    /// What `/cache/statistics` shows: the operation counts and every cached id, in each tenant's creation order.
    package struct Statistics: Sendable, Equatable {
        package var refreshes: Int
        package var inserts: Int
        package var removes: Int
        package var updates: Int
        package var ids: [String]
    }

    package var statistics: Statistics {
        let counts = counters.withLock { $0 }
        let ids = tenants.withLock { tenants in
            tenants.keys.sorted().flatMap { tenant in
                (tenants[tenant]?.entries.values.map(\.entry).sorted { $0.sequence < $1.sequence } ?? []).map(
                    \.subscription.id)
            }
        }
        return Statistics(
            refreshes: counts.refreshes, inserts: counts.inserts, removes: counts.removes, updates: counts.updates,
            ids: ids)
    }

    /// Zeroes the operation counters.
    package func resetStatistics() {
        counters.withLock { $0 = Counters() }
    }

    package init() {}

    /// One tenant's subscriptions and indexes.
    private struct TenantIndex {
        /// Boxed, so that a million subscriptions cost a million pointers in the table, not a million
        /// half-kilobyte values in a table sized for twice as many.
        var entries: [String: EntryBox] = [:]
        /// The subscription with `id`, changed in place; only called for an id that is cached.
        subscript(id id: String) -> Subscription {
            get { entries[id]!.entry.subscription }
            set { entries[id]!.entry.subscription = newValue }
        }
        var byEntityID: [String: Set<String>] = [:]
        var byEntityType: [String: Set<String>] = [:]
        var patterns: Set<String> = []
        /// The next creation sequence number.
        var sequence = 0
    }

    /// A cached subscription with what matching needs precomputed.
    /// A cached entry in a box of its own; only touched under the cache's lock.
    private final class EntryBox {
        var entry: Entry
        init(_ entry: Entry) { self.entry = entry }
    }

    private struct Entry {
        var subscription: Subscription
        var scope: ServicePath.Scope
        /// Creation order, for listing.
        var sequence: Int
    }

    /// Which index holds a selector.
    private enum Key: Hashable {
        case id(String)
        case type(String)
        case pattern
    }

    private static func keys(_ subscription: Subscription) -> Set<Key> {
        Set(
            subscription.subject.entities.map { selector in
                if let id = selector.id { return .id(id) }
                if let type = selector.type { return .type(type) }
                return .pattern
            })
    }

    // MARK: - Keeping in step with the database

    /// Replaces a tenant's subscriptions (the database's content, in creation order).
    package func load(tenant: String, _ subscriptions: [Subscription]) {
        tenants.withLock { tenants in
            var index = TenantIndex()
            for subscription in subscriptions { Self.insert(subscription, into: &index) }
            tenants[tenant] = index
        }
        counters.withLock { $0.refreshes += 1 }
    }

    /// Whether a tenant's subscriptions are loaded.
    package func isLoaded(tenant: String) -> Bool {
        tenants.withLock { $0[tenant] != nil }
    }

    /// Adds a subscription, or replaces the one with its id (keeping its place in creation order).
    package func upsert(_ subscription: Subscription) {
        let existed = tenants.withLock { tenants -> Bool in
            let existed = tenants[subscription.tenant]?.entries[subscription.id] != nil
            Self.insert(subscription, into: &tenants[subscription.tenant, default: TenantIndex()])
            return existed
        }
        counters.withLock { existed ? ($0.updates += 1) : ($0.inserts += 1) }
    }

    /// Removes a subscription.
    /// - Returns: whether it was cached.
    @discardableResult
    package func remove(id: String, tenant: String) -> Bool {
        let removed = tenants.withLock { tenants in
            guard var index = tenants[tenant], let entry = index.entries.removeValue(forKey: id)?.entry else {
                return false
            }
            Self.unindex(entry.subscription, from: &index)
            tenants[tenant] = index
            return true
        }
        if removed { counters.withLock { $0.removes += 1 } }
        return removed
    }

    /// Changes the state of a cached subscription in place (its counters and status, never what the indexes
    /// are built from), under the cache's lock: the notification side's check-and-set of throttling and counters.
    /// The database is not written.
    /// - Returns: what `change` returns, or `nil` when the subscription is not cached.
    package func updateState<Result>(id: String, tenant: String, _ change: (inout Subscription) -> Result) -> Result? {
        tenants.withLock { tenants -> Result? in
            guard tenants[tenant]?.entries[id] != nil else { return nil }
            let subject = tenants[tenant]?.entries[id]?.entry.subscription.subject
            let result = change(&tenants[tenant]![id: id])
            assert(tenants[tenant]?.entries[id]?.entry.subscription.subject == subject, "the subject must not change")
            return result
        }
    }

    private static func insert(_ subscription: Subscription, into index: inout TenantIndex) {
        var sequence = index.sequence
        if let old = index.entries[subscription.id]?.entry {
            sequence = old.sequence
            unindex(old.subscription, from: &index)
        } else {
            index.sequence += 1
        }
        let scope =
            (try? ServicePath.forQuery(subscription.servicePath))?.first
            ?? ServicePath.Scope(path: "/", recursive: true)
        let entry = Entry(subscription: subscription, scope: scope, sequence: sequence)
        if let box = index.entries[subscription.id] {
            box.entry = entry
        } else {
            index.entries[subscription.id] = EntryBox(entry)
        }
        for key in keys(subscription) {
            switch key {
            case .id(let id): index.byEntityID[id, default: []].insert(subscription.id)
            case .type(let type): index.byEntityType[type, default: []].insert(subscription.id)
            case .pattern: index.patterns.insert(subscription.id)
            }
        }
    }

    private static func unindex(_ subscription: Subscription, from index: inout TenantIndex) {
        for key in keys(subscription) {
            switch key {
            case .id(let id):
                index.byEntityID[id]?.remove(subscription.id)
                if index.byEntityID[id]?.isEmpty == true { index.byEntityID[id] = nil }
            case .type(let type):
                index.byEntityType[type]?.remove(subscription.id)
                if index.byEntityType[type]?.isEmpty == true { index.byEntityType[type] = nil }
            case .pattern: index.patterns.remove(subscription.id)
            }
        }
    }

    // MARK: - Reading

    /// The subscription with `id` in `tenant`.
    package func subscription(id: String, tenant: String) -> Subscription? {
        tenants.withLock { $0[tenant]?.entries[id]?.entry.subscription }
    }

    /// A tenant's subscriptions in creation order; with `servicePath`, only those created with exactly that path
    /// (Orion's `GET /v2/subscriptions` filter, orion-ngsiv2-facts §1.8).
    package func subscriptions(tenant: String, servicePath: String? = nil) -> [Subscription] {
        let entries = tenants.withLock { tenants -> [Entry] in
            guard let index = tenants[tenant] else { return [] }
            return index.entries.values.map(\.entry)
        }
        return
            entries
            .filter { servicePath == nil || $0.subscription.servicePath == servicePath }
            .sorted { $0.sequence < $1.sequence }
            .map(\.subscription)
    }

    /// The number of subscriptions cached for `tenant`.
    package func count(tenant: String) -> Int {
        tenants.withLock { $0[tenant]?.entries.count ?? 0 }
    }

    // MARK: - Matching

    /// The subscriptions whose entity selectors may cover the event's entity, from the indexes alone: those
    /// naming its id, those naming its type with an id pattern, and those with patterns only. Their selectors,
    /// service path and conditions are not checked yet (``matches(_:now:)`` does).
    package func candidates(for event: ChangeEvent) -> [Subscription] {
        candidateEntries(for: event).map(\.subscription)
    }

    private func candidateEntries(for event: ChangeEvent) -> [Entry] {
        guard let entity = event.entity else { return [] }
        return tenants.withLock { tenants -> [Entry] in
            guard let index = tenants[event.tenant] else { return [] }
            var ids = index.patterns
            if let byID = index.byEntityID[entity.id] { ids.formUnion(byID) }
            if let byType = index.byEntityType[entity.type] { ids.formUnion(byType) }
            return ids.compactMap { index.entries[$0]?.entry }
        }
    }

    /// The notifications a change triggers: every live subscription of the event's tenant whose entities cover
    /// the entity, whose service path contains it, and whose condition the change meets (alteration type,
    /// `attrs`, `notifyOnMetadataChange`, `q`, `mq`, geo-query), each with the attributes it notifies, in id
    /// order. Nothing is sent, and throttling (which needs the delivery side's clock of last notifications) is
    /// not applied.
    /// - Parameter now: the time that decides expiry.
    package func matches(_ event: ChangeEvent, now: Double = DateTimeFormat.now()) -> [SubscriptionMatch] {
        var result: [SubscriptionMatch] = []
        for entry in candidateEntries(for: event) {
            if let attributes = SubscriptionMatcher.match(entry.subscription, scope: entry.scope, event, now: now) {
                result.append(SubscriptionMatch(subscription: entry.subscription, attributes: attributes))
            }
        }
        return result.sorted { $0.subscription.id < $1.subscription.id }
    }
}
