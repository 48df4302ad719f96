import Persistence

extension ContextBroker {
    /// The render options of a request: `options`, `attrs`, `metadata`.
    func renderOptions(_ request: NGSIRequest) -> RenderOptions {
        var options = RenderOptions()
        if request.has("keyValues") {
            options.format = .keyValues
        } else if request.has("values") {
            options.format = .values
        } else if request.has("unique") {
            options.format = .unique
        }
        options.attributes = request.parameters["attrs"].map(Self.list)
        options.metadata = request.parameters["metadata"].map(Self.list)
        return options
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map(String.init)
    }

    /// `limit`, `offset`, `orderBy` and `options=count`.
    func applyPaging(_ request: NGSIRequest, to query: inout EntityQuery) throws(NGSIError) {
        if let text = request.parameters["limit"] {
            guard let limit = Int(text), limit >= 0 else {
                throw NGSIError(.badRequest, "Bad pagination limit: /\(text)/ [must be a decimal number]")
            }
            if limit > 1000 { throw NGSIError(.badRequest, "Bad pagination limit: /\(text)/ [max: 1000]") }
            query.limit = limit
        }
        if let text = request.parameters["offset"] {
            guard let offset = Int(text), offset >= 0 else {
                throw NGSIError(.badRequest, "Bad pagination offset: /\(text)/ [must be a decimal number]")
            }
            query.offset = offset
        }
        if let text = request.parameters["orderBy"] {
            query.orderBy = try EntityQuery.parseOrderBy(text)
        }
        query.count = request.has("count")
    }

    /// The entity selection and filters of `GET /v2/entities`.
    func entityQuery(_ request: NGSIRequest) throws(NGSIError) -> EntityQuery {
        var query = EntityQuery()
        let parameters = request.parameters
        if parameters["id"] != nil, parameters["idPattern"] != nil {
            throw NGSIError(.badRequest, "Incompatible parameters: id, IdPattern")
        }
        if parameters["type"] != nil, parameters["typePattern"] != nil {
            throw NGSIError(.badRequest, "Incompatible parameters: type, typePattern")
        }
        if let pattern = parameters["idPattern"], !RegexCache.shared.isValid(pattern) {
            throw NGSIError.invalidIdPattern
        }
        if let pattern = parameters["typePattern"], !RegexCache.shared.isValid(pattern) {
            throw NGSIError.invalidTypePattern
        }
        let ids: [String?] = parameters["id"].map { Self.list($0).map { Optional($0) } } ?? [nil]
        let types: [String?] = parameters["type"].map { Self.list($0).map { Optional($0) } } ?? [nil]
        if ids != [nil] || types != [nil] || parameters["idPattern"] != nil || parameters["typePattern"] != nil {
            for id in ids {
                for type in types {
                    query.selectors.append(
                        EntityQuery.Selector(
                            id: id, idPattern: id == nil ? parameters["idPattern"] : nil, type: type,
                            typePattern: type == nil ? parameters["typePattern"] : nil))
                }
            }
        }
        query.geo = try Self.geoQuery(
            georel: parameters["georel"], geometry: parameters["geometry"], coords: parameters["coords"])
        if let q = parameters["q"] { query.q = try SimpleQuery(q) }
        if let mq = parameters["mq"] { query.mq = try SimpleQuery(mq, metadata: true) }
        query.scopes = try ServicePath.forQuery(request.servicePath)
        try applyPaging(request, to: &query)
        return query
    }

    /// The geo-query of `GET /v2/entities`, with Orion's checks of the parameters that come without the others.
    static func geoQuery(georel: String?, geometry: String?, coords: String?) throws(NGSIError) -> GeoQuery? {
        if coords != nil, geometry == nil {
            throw NGSIError(.badRequest, "Invalid query: URI param /coords/ used without /geometry/")
        }
        if geometry != nil, coords == nil {
            throw NGSIError(.badRequest, "Invalid query: URI param /geometry/ used without /coords/")
        }
        if georel != nil, geometry == nil {
            throw NGSIError(.badRequest, "Invalid query: URI param /georel/ used without /geometry/")
        }
        guard let geometry, let coords else { return nil }
        return try GeoQuery(georel: georel, geometry: geometry, coords: coords)
    }

    /// Runs an entity query and renders the page, with `Fiware-Total-Count` when asked for.
    func runQuery(_ query: EntityQuery, tenant: String, options: RenderOptions) async throws -> NGSIResponse {
        let database = try await database(tenant: tenant)
        let compiled = query.compiled(now: DateTimeFormat.now())
        // Missing indexes are made in the background; until then the query scans (correct, only slower).
        let filterIndexExists = await requestIndexes(compiled, tenant: tenant, database: database)
        let indexedBy = filterIndexExists && compiled.prefersFilterIndex ? compiled.filterIndex?.name : nil
        // A page without a count is one statement, atomic on its own: no BEGIN … COMMIT around it.
        func read<T>(_ body: (any Connection) async throws -> T) async throws -> T {
            query.count ? try await database.timedRead(body) : try await database.timedReadStatement(body)
        }
        guard StoredEntityTranscoder.handles(options) else {
            let (entities, total) = try await read { connection in
                try await EntityStore.query(connection, query, compiled: compiled, indexedBy: indexedBy)
            }
            return .json(EntityRenderer.render(entities, options), headers: Self.countHeader(total))
        }
        // The common case: each row's stored attributes are copied into the response as they are read (which
        // counts as rendering in `/statistics` timing).
        var body: [UInt8] = [UInt8(ascii: "[")]
        let (_, total) = try await read { connection in
            try await EntityStore.query(connection, query, compiled: compiled, indexedBy: indexedBy) { row in
                try RequestTimer.measure(.render) { () throws(PersistenceError) in
                    if body.count > 1 { body.append(UInt8(ascii: ",")) }
                    try StoredEntity.appendRendering(of: row, options, to: &body)
                }
            }
        }
        body.append(UInt8(ascii: "]"))
        let text = RequestTimer.measure(.render) { String(decoding: body, as: UTF8.self) }
        return NGSIResponse(status: 200, headers: Self.countHeader(total), body: text)
    }

    private static func countHeader(_ total: Int?) -> [(String, String)] {
        total.map { [("Fiware-Total-Count", String($0))] } ?? []
    }
}
