import Persistence

extension ContextBroker {
    // MARK: - /v2/entities

    /// `GET /v2/entities`.
    func listEntities(_ request: NGSIRequest) async throws -> NGSIResponse {
        let query = try entityQuery(request)
        return try await runQuery(query, tenant: request.tenant, options: renderOptions(request))
    }

    /// `POST /v2/entities`: 201 with `Location`, or 204 with `Location` with `options=upsert` (orion-api.md,
    /// "Create Entity").
    func createEntity(_ request: NGSIRequest) async throws -> NGSIResponse {
        let payload = try PayloadDecoder.entity(try request.json(), keyValues: request.has("keyValues"))
        let servicePath = try ServicePath.forWrite(request.servicePath)
        let upsert = request.has("upsert")
        let options = Entity.MergeOptions(overrideMetadata: request.has("overrideMetadata"))
        let type = payload.type ?? Entity.defaultType
        try await writer(for: request).create(
            payload, servicePath: servicePath, upsert: upsert, options: options,
            forced: request.has("forcedUpdate") || payload.attributes.contains { $0.value.isOperator })
        // With upsert the answer is 204 whether the entity was created or updated, with its Location either way.
        let location = "/v2/entities/\(payload.id)?type=\(type)"
        return NGSIResponse(status: upsert ? 204 : 201, headers: [("Location", location)])
    }

    // MARK: - /v2/entities/{id}

    /// `GET /v2/entities/{id}` and `GET /v2/entities/{id}/attrs`.
    func retrieveEntity(_ request: NGSIRequest, attributesOnly: Bool) async throws -> NGSIResponse {
        let options = renderOptions(request)
        // The stored attributes are copied into the response when they can be (rendering, for `/statistics`).
        let body = try await readEntity(request) { row -> String in
            try RequestTimer.measure(.render) { () throws(PersistenceError) -> String in
                var body: [UInt8] = []
                try StoredEntity.appendRendering(of: row, options, identity: !attributesOnly, to: &body)
                return String(decoding: body, as: UTF8.self)
            }
        }
        return NGSIResponse(status: 200, body: body)
    }

    /// The entity a read route names, in the query scopes of the request.
    func readEntity(_ request: NGSIRequest) async throws -> Entity {
        try await readEntity(request) { row in try StoredEntity(row: row).entity }
    }

    /// The row of the entity a read route names, handed to `transform`.
    func readEntity<Item>(_ request: NGSIRequest, transform: (any SQLRow) throws -> Item) async throws -> Item {
        let id = request.segments[0]
        let type = request.parameters["type"]
        let scopes = try ServicePath.forQuery(request.servicePath)
        let database = try await database(tenant: request.tenant)
        let now = DateTimeFormat.now()
        return try await database.timedReadStatement { connection in
            try await EntityStore.findOne(
                connection, id: id, type: type, scopes: scopes, now: now, transform: transform)
        }
    }

    /// `DELETE /v2/entities/{id}`.
    func deleteEntity(_ request: NGSIRequest) async throws -> NGSIResponse {
        try await modifyEntity(request) { _, _ in .delete }
    }

    // MARK: - /v2/entities/{id}/attrs

    /// `POST /v2/entities/{id}/attrs`: update or append; with `options=append`, strictly append.
    func appendAttributes(_ request: NGSIRequest) async throws -> NGSIResponse {
        let updates = try PayloadDecoder.attributes(try request.json(), keyValues: request.has("keyValues"))
        let strict = request.has("append")
        let options = Entity.MergeOptions(overrideMetadata: request.has("overrideMetadata"))
        return try await modifyEntity(request, operators: updates.contains { $0.value.isOperator }) { entity, now in
            guard strict else {
                entity.merge(updates, at: now, options: options)
                return .changed(updates.map(\.name))
            }
            // The new attributes are appended; those that exist are refused.
            let names = entity.attributeNames
            let existing = updates.map(\.name).filter { names.contains($0) }
            let appended = updates.filter { !names.contains($0.name) }
            entity.merge(appended, at: now, options: options)
            guard !existing.isEmpty else { return .changed(appended.map(\.name)) }
            return .partiallyChanged(
                appended.map(\.name),
                NGSIError(
                    .unprocessable,
                    "one or more of the attributes in the request already exist: [ \(existing.joined(separator: ", ")) ]"
                ))
        }
    }

    /// `PATCH /v2/entities/{id}/attrs`: update existing attributes only.
    func updateAttributes(_ request: NGSIRequest) async throws -> NGSIResponse {
        let updates = try PayloadDecoder.attributes(try request.json(), keyValues: request.has("keyValues"))
        let options = Entity.MergeOptions(overrideMetadata: request.has("overrideMetadata"))
        return try await modifyEntity(request, operators: updates.contains { $0.value.isOperator }) { entity, now in
            // The existing attributes are updated; those that do not exist are refused.
            let names = entity.attributeNames
            let missing = updates.map(\.name).filter { !names.contains($0) }
            let updated = updates.filter { names.contains($0.name) }
            entity.merge(updated, at: now, options: options)
            guard !missing.isEmpty else { return .changed(updated.map(\.name)) }
            return .partiallyChanged(
                updated.map(\.name),
                NGSIError(
                    .unprocessable,
                    "one or more of the attributes in the request do not exist: [ \(missing.joined(separator: ", ")) ]")
            )
        }
    }

    /// `PUT /v2/entities/{id}/attrs`: replace every attribute.
    func replaceAttributes(_ request: NGSIRequest) async throws -> NGSIResponse {
        let updates = try PayloadDecoder.attributes(try request.json(), keyValues: request.has("keyValues"))
        return try await modifyEntity(request) { entity, now in
            let removed = entity.attributes.map(\.name)
            entity.attributes = []
            entity.expires = nil
            entity.merge(updates, at: now, options: .init())
            entity.extractExpiration()
            return .changed(Array(Set(removed + updates.map(\.name))).sorted())
        }
    }

    // MARK: - /v2/entities/{id}/attrs/{attrName}

    /// `GET /v2/entities/{id}/attrs/{attrName}`.
    func retrieveAttribute(_ request: NGSIRequest) async throws -> NGSIResponse {
        let entity = try await readEntity(request)
        let name = request.segments[1]
        guard let attribute = EntityRenderer.selectedAttributes(entity, RenderOptions(attributes: [name])).first else {
            throw NGSIError.attributeNotFound
        }
        return .json(EntityRenderer.normalized(attribute, renderOptions(request)))
    }

    /// `PUT /v2/entities/{id}/attrs/{attrName}`.
    func updateAttribute(_ request: NGSIRequest) async throws -> NGSIResponse {
        let name = request.segments[1]
        let update = try PayloadDecoder.attribute(named: name, try request.json(), keyValues: false)
        let options = Entity.MergeOptions(overrideMetadata: request.has("overrideMetadata"))
        return try await modifyEntity(request, operators: update.value.isOperator) { entity, now in
            guard entity.attribute(named: name) != nil else { throw NGSIError.attributeNotFound }
            entity.merge(update, at: now, options: options)
            return .changed([name])
        }
    }

    /// `DELETE /v2/entities/{id}/attrs/{attrName}`.
    func deleteAttribute(_ request: NGSIRequest) async throws -> NGSIResponse {
        let name = request.segments[1]
        return try await modifyEntity(request) { entity, _ in
            guard let index = entity.attributeIndex(named: name) else { throw NGSIError.attributeNotFound }
            entity.attributes.remove(at: index)
            return .changed([name])
        }
    }

    // MARK: - /v2/entities/{id}/attrs/{attrName}/value

    /// `GET …/value`: objects and arrays as JSON; other values as text unless JSON is asked for.
    func retrieveAttributeValue(_ request: NGSIRequest) async throws -> NGSIResponse {
        let entity = try await readEntity(request)
        let name = request.segments[1]
        guard let attribute = EntityRenderer.selectedAttributes(entity, RenderOptions(attributes: [name])).first else {
            throw NGSIError.attributeNotFound
        }
        let value = EntityRenderer.renderedValue(attribute)
        let wantsText = request.accept.map { BrokerResponder.accepts($0, "text/plain") } ?? true
        let wantsJSON = request.accept.map { BrokerResponder.acceptsJSON($0) } ?? true
        switch value {
        case .object, .array:
            // A compound value is JSON; asked for as text only, it is the same JSON text as text/plain.
            if wantsJSON { return .json(value) }
            guard wantsText else { throw NGSIError.notAcceptable("application/json") }
            return NGSIResponse(status: 200, body: value.serialized, contentType: "text/plain")
        case .string(let text):
            guard wantsText else { throw NGSIError.textNotAccepted }
            return NGSIResponse(status: 200, body: "\"\(text)\"", contentType: "text/plain")
        default:
            guard wantsText else { throw NGSIError.textNotAccepted }
            return NGSIResponse(status: 200, body: value.serialized, contentType: "text/plain")
        }
    }

    /// `PUT …/value`: a JSON object or array, or with `text/plain` a number, a boolean, null or a quoted string.
    func updateAttributeValue(_ request: NGSIRequest) async throws -> NGSIResponse {
        let name = request.segments[1]
        let value: JSONValue
        if request.contentType == "text/plain" {
            value = try Self.textValue(String(decoding: request.body, as: UTF8.self))
        } else {
            value = try request.json()
            guard Self.isContainer(value) else { throw NGSIError.parseError }
        }
        try Validation.checkValue(value, "attribute value")
        let update = AttributeUpdate(name: name, type: nil, value: UpdateValue(value), metadata: nil)
        return try await modifyEntity(request) { entity, now in
            guard entity.attribute(named: name) != nil else { throw NGSIError.attributeNotFound }
            entity.merge(update, at: now, options: .init())
            return .changed([name])
        }
    }

    /// A `text/plain` attribute value as Orion reads it: `true`, `false` and `null` in lower case, upper case or
    /// capitalised, a JSON number, or a string in double quotes; anything else is refused.
    static func textValue(_ text: String) throws(NGSIError) -> JSONValue {
        switch text {
        case "true", "TRUE", "True": return .bool(true)
        case "false", "FALSE", "False": return .bool(false)
        case "null", "NULL", "Null": return .null
        default: break
        }
        if let parsed = try? JSONParser.parse(text) {
            switch parsed {
            case .number, .string: return parsed
            default: break
            }
        }
        throw NGSIError(.badRequest, "attribute value type not recognized")
    }

    static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: return true
        default: return false
        }
    }

    // MARK: - The write path of single-entity routes

    /// Applies `change` to the entity a write route names (in the request's one service path), through the
    /// tenant's ``EntityWriter``. `operators`: the request updates an attribute with an update operator.
    func modifyEntity(
        _ request: NGSIRequest, operators: Bool = false,
        _ change: @escaping @Sendable (inout Entity, Double) throws -> EntityWriter.Change
    ) async throws -> NGSIResponse {
        let servicePath = try ServicePath.forWrite(request.servicePath)
        // options=forcedUpdate, or an update operator: an update that changes nothing still counts as a change for
        // subscriptions (Orion hands operators to its database and notifies whatever they leave).
        try await writer(for: request).modify(
            id: request.segments[0], type: request.parameters["type"], servicePath: servicePath,
            forced: request.has("forcedUpdate") || operators, change)
        return .noContent
    }
}
