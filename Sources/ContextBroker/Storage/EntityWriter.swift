import Persistence

/// The one write path of entities: every create, update, replace, delete and batch action of one tenant commits
/// here, and each entity it changed yields exactly one ``ChangeEvent``, handed to the sink after commit.
///
/// Routes decode and validate a request, then call one operation; the operation runs in one write transaction
/// (``SQLiteDatabase/write(_:)``), and only when that transaction has committed are its events emitted, so a
/// rolled-back request emits nothing. Writes go through ``Transaction``, whose `insert`, `update` and `delete`
/// both write the row and record the event: a write that bypassed the event could not be expressed.
struct EntityWriter: Sendable {
    /// The tenant's database.
    let database: any Database
    /// The tenant (`Fiware-Service`), empty for the default one.
    let tenant: String
    /// Where the events of committed writes go: the broker's ``ChangeQueue`` in a running broker.
    let sink: any ChangeSink
    /// The request the writes come from, recorded in their events.
    var origin = ChangeOrigin()
    /// `-notifOutbox`: the events are journaled in the write's own transaction.
    var journals = false

    /// What a committed write returned, and the events it emitted, in write order.
    struct Commit<Value: Sendable>: Sendable {
        var value: Value
        var events: [ChangeEvent]
    }

    /// Runs `body` in one write transaction and, after commit, emits the events its writes recorded.
    /// - Parameters:
    ///   - forced: `options=forcedUpdate`: an update that changes nothing counts as `entityChange`.
    ///   - body: the writes, through the transaction it receives.
    /// - Throws: what `body` throws, or the database's error; nothing is emitted then.
    func commit<Value: Sendable>(
        forced: Bool = false, _ body: @escaping @Sendable (inout Transaction) async throws -> Value
    ) async throws -> Commit<Value> {
        let tenant = self.tenant
        let origin = self.origin
        let journals = self.journals
        let committed = try await database.timedWrite { connection -> Commit<Value> in
            var transaction = Transaction(
                connection: connection, tenant: tenant, forced: forced, now: DateTimeFormat.now())
            let value = try await body(&transaction)
            var events = transaction.events
            for index in events.indices { events[index].origin = origin }
            if journals, !events.isEmpty {
                let keys = try await NotificationOutboxStore.journal(connection, events)
                for (index, key) in zip(events.indices, keys) { events[index].journalKey = key }
            }
            return Commit(value: value, events: events)
        }
        guard !committed.events.isEmpty else { return committed }
        let events = committed.events
        await sink.entitiesChanged(events)
        return Commit(value: committed.value, events: events)
    }

    // MARK: - Operations

    /// Creates an entity, or with `upsert` merges the payload into the existing one (orion-api.md, "Create
    /// Entity"): the kind of the emitted event tells which happened.
    /// - Throws: ``NGSIError/alreadyExists`` when the entity exists and `upsert` is not set.
    @discardableResult
    func create(
        _ payload: PayloadDecoder.EntityPayload, servicePath: String, upsert: Bool, options: Entity.MergeOptions,
        forced: Bool
    ) async throws -> ChangeEvent {
        let committed = try await commit(forced: forced) { transaction -> ChangeEvent in
            let type = payload.type ?? Entity.defaultType
            let now = transaction.now
            if let existing = try await transaction.find(id: payload.id, type: type, servicePath: servicePath).first {
                guard upsert else { throw NGSIError.alreadyExists }
                var entity = existing.entity
                entity.merge(payload.attributes, at: now, options: options)
                return try await transaction.update(existing, entity, touched: payload.attributes.map(\.name))
            }
            var entity = Entity(
                id: payload.id, type: type, servicePath: servicePath, created: now, modified: now, attributes: [])
            entity.merge(payload.attributes, at: now, options: options)
            return try await transaction.insert(entity)
        }
        return committed.events[0]
    }

    /// What a change closure of ``modify(id:type:servicePath:forced:_:)`` did to the entity.
    enum Change: Sendable {
        /// The entity was changed in place; the names are the attributes the request touched.
        case changed([String])
        /// Part of the request was applied (the named attributes) and is written; the rest is refused with the
        /// error, thrown once the write has committed. Orion applies the attributes of an update one by one, so
        /// an update that names attributes it cannot apply still applies the others.
        case partiallyChanged([String], NGSIError)
        /// The entity is to be deleted.
        case delete
    }

    /// Finds the one entity with `id` (and `type`) in `servicePath`, applies `change` to it and writes it back or
    /// deletes it, in one transaction.
    /// - Throws: ``NGSIError/entityNotFound``, ``NGSIError/ambiguousEntity``, or what `change` throws.
    @discardableResult
    func modify(
        id: String, type: String?, servicePath: String, forced: Bool,
        _ change: @escaping @Sendable (inout Entity, Double) throws -> Change
    ) async throws -> ChangeEvent {
        let committed = try await commit(forced: forced) { transaction -> NGSIError? in
            let stored = try await transaction.findOne(id: id, type: type, servicePath: servicePath)
            var entity = stored.entity
            switch try change(&entity, transaction.now) {
            case .delete:
                try await transaction.delete(stored)
                return nil
            case .changed(let names):
                try await transaction.update(stored, entity, touched: names)
                return nil
            case .partiallyChanged(let names, let refusal):
                if !names.isEmpty { try await transaction.update(stored, entity, touched: names) }
                return refusal
            }
        }
        if let refusal = committed.value { throw refusal }
        return committed.events[0]
    }

    /// Deletes the one entity with `id` (and `type`) in `servicePath`.
    @discardableResult
    func delete(id: String, type: String?, servicePath: String) async throws -> ChangeEvent {
        try await modify(id: id, type: type, servicePath: servicePath, forced: false) { _, _ in .delete }
    }

    // MARK: - The transaction

    /// One write transaction: the only way to write entities, each write recording its change event.
    struct Transaction {
        let connection: any Connection
        let tenant: String
        let forced: Bool
        /// The time of the transaction, for `dateModified`, `dateCreated` and expiration.
        let now: Double
        /// The events of the writes so far, in write order.
        private(set) var events: [ChangeEvent] = []

        init(connection: any Connection, tenant: String, forced: Bool, now: Double) {
            self.connection = connection
            self.tenant = tenant
            self.forced = forced
            self.now = now
        }

        /// The live entities with `id` (and `type`) in exactly `servicePath`, at most two.
        func find(id: String, type: String?, servicePath: String) async throws -> [StoredEntity] {
            try await EntityStore.find(connection, id: id, type: type, scopes: Self.scope(servicePath), now: now)
        }

        /// The one live entity with `id` (and `type`) in exactly `servicePath`.
        /// - Throws: ``NGSIError/entityNotFound`` or ``NGSIError/ambiguousEntity``.
        func findOne(id: String, type: String?, servicePath: String) async throws -> StoredEntity {
            try await EntityStore.findOne(connection, id: id, type: type, scopes: Self.scope(servicePath), now: now)
        }

        private static func scope(_ servicePath: String) -> [ServicePath.Scope] {
            [ServicePath.Scope(path: servicePath, recursive: false)]
        }

        /// Inserts a new entity (its `dateExpires` taken from its attributes) and records `entityCreate`.
        @discardableResult
        mutating func insert(_ entity: Entity) async throws -> ChangeEvent {
            var entity = entity
            entity.extractExpiration()
            _ = try await EntityStore.insert(connection, entity)
            return record(previous: nil, current: entity, touched: entity.attributes.map(\.name))
        }

        /// Writes back `entity`, the changed `stored`, stamped with the transaction's time, and records
        /// `entityUpdate` or `entityChange`.
        /// - Parameter touched: the attributes the request named.
        @discardableResult
        mutating func update(_ stored: StoredEntity, _ entity: Entity, touched: [String]) async throws -> ChangeEvent {
            var entity = entity
            entity.modified = now
            entity.extractExpiration()
            try await EntityStore.update(connection, key: stored.key, entity)
            return record(previous: stored.entity, current: entity, touched: touched)
        }

        /// Deletes `stored` and records `entityDelete`, naming every attribute it had.
        @discardableResult
        mutating func delete(_ stored: StoredEntity) async throws -> ChangeEvent {
            try await EntityStore.delete(connection, key: stored.key)
            return record(previous: stored.entity, current: nil, touched: stored.entity.attributes.map(\.name))
        }

        private mutating func record(previous: Entity?, current: Entity?, touched: [String]) -> ChangeEvent {
            let event = ChangeEvent(
                kind: ChangeEvent.kind(previous: previous, current: current, forced: forced), tenant: tenant,
                previous: previous, current: current, changedAttributes: touched)
            events.append(event)
            return event
        }
    }
}
