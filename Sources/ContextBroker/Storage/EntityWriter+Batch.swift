extension EntityWriter {
    /// The `actionType` values of `POST /v2/op/update` (orion-api.md, "Update operation").
    enum BatchAction: String, Sendable {
        case append, appendStrict, update, delete, replace
    }

    /// An entity of a batch that could not be applied in full.
    struct BatchFailure: Sendable {
        var payload: PayloadDecoder.EntityPayload
        /// Attributes that do not exist (update, delete), or `nil` when the entity itself is missing.
        var missing: [String]?
        /// Attributes that already exist (appendStrict).
        var existing: [String]?
    }

    /// Applies `action` to every entity of a batch in one transaction, emitting one event per entity written.
    ///
    /// Entities that cannot be applied in full are reported, and what of them can be applied is kept, as Orion
    /// does: a missing entity is skipped (except for `append` and `appendStrict`, which create it), an
    /// ambiguous id is skipped, missing or already existing attributes are skipped.
    /// - Returns: the entities that could not be applied in full, in payload order.
    func batch(
        _ action: BatchAction, _ payloads: [PayloadDecoder.EntityPayload], servicePath: String,
        options: Entity.MergeOptions, forced: Bool
    ) async throws -> Commit<[BatchFailure]> {
        try await commit(forced: forced) { transaction -> [BatchFailure] in
            var failures: [BatchFailure] = []
            let now = transaction.now
            for payload in payloads {
                let found = try await transaction.find(id: payload.id, type: payload.type, servicePath: servicePath)
                if found.count > 1 {
                    failures.append(BatchFailure(payload: payload, missing: nil, existing: nil))
                    continue
                }
                guard let stored = found.first else {
                    guard action == .append || action == .appendStrict else {
                        failures.append(BatchFailure(payload: payload, missing: nil, existing: nil))
                        continue
                    }
                    var entity = Entity(
                        id: payload.id, type: payload.type ?? Entity.defaultType, servicePath: servicePath,
                        created: now, modified: now, attributes: [])
                    entity.merge(payload.attributes, at: now, options: options)
                    try await transaction.insert(entity)
                    continue
                }
                var entity = stored.entity
                let names = entity.attributeNames
                switch action {
                case .delete:
                    if payload.attributes.isEmpty {
                        try await transaction.delete(stored)
                        continue
                    }
                    let missing = payload.attributes.map(\.name).filter { !names.contains($0) }
                    let removed = Set(payload.attributes.map(\.name))
                    entity.attributes.removeAll { removed.contains($0.name) }
                    if !missing.isEmpty {
                        failures.append(BatchFailure(payload: payload, missing: missing, existing: nil))
                    }
                case .appendStrict:
                    let existing = payload.attributes.map(\.name).filter { names.contains($0) }
                    entity.merge(payload.attributes.filter { !names.contains($0.name) }, at: now, options: options)
                    if !existing.isEmpty {
                        failures.append(BatchFailure(payload: payload, missing: nil, existing: existing))
                    }
                case .append:
                    entity.merge(payload.attributes, at: now, options: options)
                case .update:
                    let missing = payload.attributes.map(\.name).filter { !names.contains($0) }
                    entity.merge(payload.attributes.filter { names.contains($0.name) }, at: now, options: options)
                    if !missing.isEmpty {
                        failures.append(BatchFailure(payload: payload, missing: missing, existing: nil))
                    }
                case .replace:
                    entity.attributes = []
                    entity.expires = nil
                    entity.merge(payload.attributes, at: now, options: .init())
                }
                try await transaction.update(stored, entity, touched: payload.attributes.map(\.name))
            }
            return failures
        }
    }
}
