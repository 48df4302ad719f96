import Persistence

extension ContextBroker {
    /// `POST /v2/op/update`: every entity is checked first (a bad payload changes nothing), then the tenant's
    /// ``EntityWriter`` applies them in one transaction. Entities that cannot be applied are reported as Orion
    /// does, the others are kept.
    func batchUpdate(_ request: NGSIRequest) async throws -> NGSIResponse {
        let (action, decoded) = try Self.batchUpdatePayload(request.json(), keyValues: request.has("keyValues"))
        let servicePath = try ServicePath.forWrite(request.servicePath)
        let options = Entity.MergeOptions(overrideMetadata: request.has("overrideMetadata"))
        let failures = try await writer(for: request).batch(
            action, decoded, servicePath: servicePath, options: options,
            forced: request.has("forcedUpdate") || decoded.contains { $0.attributes.contains { $0.value.isOperator } }
        ).value
        guard !failures.isEmpty else { return .noContent }
        throw Self.batchError(failures, action: action, total: decoded.count)
    }

    /// Reads the payload of `POST /v2/op/update` with Orion's checks and texts: an object with `entities` and
    /// `actionType` (in that order of checks), then each member in the order given, so that the first bad one
    /// is the one reported; any other member is refused.
    static func batchUpdatePayload(_ body: JSONValue, keyValues: Bool) throws -> (
        EntityWriter.BatchAction, [PayloadDecoder.EntityPayload]
    ) {
        guard case .object(let members) = body else { throw NGSIError.parseError }
        guard !members.isEmpty else { throw NGSIError.emptyPayload }
        guard body["entities"] != nil else {
            throw NGSIError(.badRequest, "Invalid JSON payload, mandatory field /entities/ not found")
        }
        guard body["actionType"] != nil else {
            throw NGSIError(.badRequest, "Invalid JSON payload, mandatory field /actionType/ not found")
        }
        var action: EntityWriter.BatchAction?
        var decoded: [PayloadDecoder.EntityPayload] = []
        for (name, value) in members {
            switch name {
            case "actionType":
                guard case .string(let text) = value,
                    let known = EntityWriter.BatchAction(rawValue: normalizedAction(text))
                else {
                    throw NGSIError(
                        .badRequest,
                        "invalid update action type: right ones are: append, appendStrict, delete, replace, update")
                }
                action = known
            case "entities":
                guard case .array(let items) = value else { throw NGSIError(.badRequest, "not a JSON array") }
                decoded = []
                for item in items {
                    guard case .object(let fields) = item else {
                        throw NGSIError(.badRequest, "entity is not a JSON object")
                    }
                    let hasID = fields.contains { $0.0 == "id" }
                    let hasPattern = fields.contains { $0.0 == "idPattern" }
                    if hasID && hasPattern { throw NGSIError(.badRequest, "both /id/ and /idPattern/ present") }
                    if !hasID && !hasPattern { throw NGSIError(.badRequest, "nor /id/ nor /idPattern/ present") }
                    if hasPattern { throw NGSIError(.notImplemented, "idPattern not supported in batch update") }
                    decoded.append(try PayloadDecoder.entity(item, keyValues: keyValues))
                }
            default:
                throw NGSIError(.badRequest, "Unrecognized field in JSON payload: /\(name)/")
            }
        }
        guard let action else { throw NGSIError.emptyPayload }
        return (action, decoded)
    }

    /// Orion's answer to a batch with failures: 404 when its only entity is missing; 422 `Unprocessable` when
    /// `appendStrict` met existing attributes; otherwise 422 `PartialUpdate` naming each failing entity as
    /// `id/type - [ attributes ]` or `id/type - [entity itself]`.
    static func batchError(_ failures: [EntityWriter.BatchFailure], action: EntityWriter.BatchAction, total: Int)
        -> NGSIError
    {
        if total == 1, let failure = failures.first, failure.missing == nil, failure.existing == nil {
            return NGSIError.entityNotFound
        }
        let existing = failures.flatMap { $0.existing ?? [] }
        if !existing.isEmpty {
            return NGSIError(
                .unprocessable,
                "one or more of the attributes in the request already exist: [ \(existing.joined(separator: ", ")) ]")
        }
        let parts = failures.map { failure -> String in
            let name = "\(failure.payload.id)/\(failure.payload.type ?? Entity.defaultType)"
            if let missing = failure.missing { return "\(name) - [ \(missing.joined(separator: ", ")) ]" }
            return "\(name) - [entity itself]"
        }
        return NGSIError(.partialUpdate, "do not exist: \(parts.joined(separator: ", "))")
    }

    /// Accepts the deprecated upper-case NGSIv1 names (`APPEND`, `APPEND_STRICT`, `UPDATE`, `DELETE`, `REPLACE`).
    static func normalizedAction(_ text: String) -> String {
        switch text {
        case "APPEND": return "append"
        case "APPEND_STRICT": return "appendStrict"
        case "UPDATE": return "update"
        case "DELETE": return "delete"
        case "REPLACE": return "replace"
        default: return text
        }
    }

    /// `POST /v2/op/query`.
    func batchQuery(_ request: NGSIRequest) async throws -> NGSIResponse {
        let body = try request.json()
        guard case .object = body else { throw NGSIError.parseError }
        var query = EntityQuery()
        var options = renderOptions(request)
        if let entities = body["entities"] {
            guard case .array(let items) = entities else {
                throw NGSIError(.badRequest, "Invalid JSON type for entities")
            }
            for item in items {
                guard case .object = item else { throw NGSIError(.badRequest, "Invalid JSON type for entities") }
                let selector = EntityQuery.Selector(
                    id: item["id"]?.stringValue, idPattern: item["idPattern"]?.stringValue,
                    type: item["type"]?.stringValue, typePattern: item["typePattern"]?.stringValue)
                if selector.id != nil, selector.idPattern != nil {
                    throw NGSIError(.badRequest, "Incompatible parameters: id, IdPattern")
                }
                if let pattern = selector.idPattern, !RegexCache.shared.isValid(pattern) {
                    throw NGSIError.invalidIdPattern
                }
                if let pattern = selector.typePattern, !RegexCache.shared.isValid(pattern) {
                    throw NGSIError.invalidTypePattern
                }
                query.selectors.append(selector)
            }
        }
        if case .array(let names)? = body["attrs"] {
            options.attributes = names.compactMap(\.stringValue)
        }
        if case .array(let names)? = body["metadata"] {
            options.metadata = names.compactMap(\.stringValue)
        }
        if let expression = body["expression"] {
            if let q = expression["q"]?.stringValue { query.q = try SimpleQuery(q) }
            if let mq = expression["mq"]?.stringValue { query.mq = try SimpleQuery(mq, metadata: true) }
            let georel = expression["georel"]?.stringValue
            let geometry = expression["geometry"]?.stringValue
            let coords = expression["coords"]?.stringValue
            let given = [georel, geometry, coords].filter { $0 != nil }.count
            if given != 0 {
                guard given == 3, let georel, let geometry, let coords else {
                    throw NGSIError(
                        .badRequest,
                        "partial geo expression: geometry, georel and coords have to be provided together")
                }
                query.geo = try GeoQuery(georel: georel, geometry: geometry, coords: coords)
            }
        }
        query.scopes = try ServicePath.forQuery(request.servicePath)
        try applyPaging(request, to: &query)
        return try await runQuery(query, tenant: request.tenant, options: options)
    }
}
