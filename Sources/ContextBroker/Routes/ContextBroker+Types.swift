import Persistence

extension ContextBroker {
    /// `GET /v2/types`: types sorted by name, with their attributes and entity counts.
    func listTypes(_ request: NGSIRequest) async throws -> NGSIResponse {
        var query = EntityQuery()
        try applyPaging(request, to: &query)
        let scopes = try ServicePath.forQuery(request.servicePath)
        let database = try await database(tenant: request.tenant)
        let now = DateTimeFormat.now()
        let all = try await database.timedRead { connection in
            try await EntityStore.types(connection, scopes: scopes, now: now).map { TypeSummary($0) }
        }
        let page = Array(all.dropFirst(query.offset).prefix(query.limit))
        var headers: [(String, String)] = []
        if query.count { headers.append(("Fiware-Total-Count", String(all.count))) }
        if request.has("values") {
            return .json(.array(page.map { .string($0.type) }), headers: headers)
        }
        let detail = !request.has("noAttrDetail")
        return .json(
            .array(
                page.map { summary in
                    .object([
                        ("type", .string(summary.type)), ("attrs", summary.attributesJSON(detail: detail)),
                        ("count", .number(Double(summary.count))),
                    ])
                }), headers: headers)
    }

    /// `GET /v2/types/{type}`.
    func retrieveType(_ request: NGSIRequest) async throws -> NGSIResponse {
        let type = request.segments[0]
        let scopes = try ServicePath.forQuery(request.servicePath)
        let database = try await database(tenant: request.tenant)
        let now = DateTimeFormat.now()
        let all = try await database.timedRead { connection in
            try await EntityStore.types(connection, scopes: scopes, now: now).map { TypeSummary($0) }
        }
        guard let summary = all.first(where: { $0.type == type }) else {
            throw NGSIError(.notFound, "Entity type not found")
        }
        return .json(
            .object([("attrs", summary.attributesJSON(detail: true)), ("count", .number(Double(summary.count)))]))
    }
}

/// One entity type as `/v2/types` describes it.
struct TypeSummary: Sendable {
    var type: String
    var count: Int
    var attributes: [(String, [String])]

    init(_ row: (type: String, count: Int, attributes: [(String, [String])])) {
        type = row.type
        count = row.count
        attributes = row.attributes.sorted { $0.0 < $1.0 }
    }

    func attributesJSON(detail: Bool) -> JSONValue {
        .object(
            attributes.map { name, types in
                (name, detail ? .object([("types", .array(types.sorted().map { .string($0) }))]) : .object([]))
            })
    }
}
