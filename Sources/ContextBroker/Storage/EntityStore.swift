import Persistence

/// The broker's SQL on one tenant's database. Every method runs inside the caller's read or write transaction.
enum EntityStore {
    /// The entities with `id` (and `type`, when given) in the given scopes, at most `limit`, in the order of the
    /// (id, type, service path) index: no sort, which for a point lookup would cost a temporary b-tree.
    static func find(
        _ connection: any Connection, id: String, type: String?, scopes: [ServicePath.Scope], now: Double,
        limit: Int = 2
    ) async throws -> [StoredEntity] {
        try await find(
            connection, id: id, type: type, scopes: scopes, now: now, limit: limit, transform: StoredEntity.init)
    }

    /// ``find(_:id:type:scopes:now:limit:)``, handing each row (``StoredEntity/columns``) to `transform`.
    static func find<Item>(
        _ connection: any Connection, id: String, type: String?, scopes: [ServicePath.Scope], now: Double,
        limit: Int = 2, transform: (any SQLRow) throws -> Item
    ) async throws -> [Item] {
        var query = EntityQuery()
        query.selectors = [EntityQuery.Selector(id: id, type: type)]
        query.scopes = scopes
        let compiled = query.compiled(now: now)
        var result: [Item] = []
        try await connection.forEachRow(
            "SELECT \(StoredEntity.columns) FROM entities WHERE \(compiled.whereClause) LIMIT \(limit)",
            compiled.arguments
        ) { row in result.append(try transform(row)) }
        return result
    }

    /// The one entity a single-entity route names: 404 when none, 409 when the id is ambiguous.
    static func findOne(
        _ connection: any Connection, id: String, type: String?, scopes: [ServicePath.Scope], now: Double
    ) async throws -> StoredEntity {
        try await findOne(connection, id: id, type: type, scopes: scopes, now: now, transform: StoredEntity.init)
    }

    /// ``findOne(_:id:type:scopes:now:)``, handing the row (``StoredEntity/columns``) to `transform`.
    static func findOne<Item>(
        _ connection: any Connection, id: String, type: String?, scopes: [ServicePath.Scope], now: Double,
        transform: (any SQLRow) throws -> Item
    ) async throws -> Item {
        let found = try await find(connection, id: id, type: type, scopes: scopes, now: now, transform: transform)
        guard let first = found.first else { throw NGSIError.entityNotFound }
        if found.count > 1 { throw NGSIError.ambiguousEntity }
        return first
    }

    /// Inserts a new entity and returns its key; an expired twin left in the table is replaced.
    static func insert(_ connection: any Connection, _ entity: Entity) async throws -> Int64 {
        try await connection.execute(
            "DELETE FROM entities WHERE id = ? AND type = ? AND service_path = ? AND expires IS NOT NULL AND expires <= ?",
            [.text(entity.id), .text(entity.type), .text(entity.servicePath), .real(DateTimeFormat.now())])
        let inserted = try await connection.integer(
            "INSERT INTO entities (id, type, service_path, created, modified, expires, attrs, \(locationColumns)) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk",
            [
                .text(entity.id), .text(entity.type), .text(entity.servicePath), .real(entity.created),
                .real(entity.modified), entity.expires.map { .real($0) } ?? .null,
                .text(AttributeCodec.encode(entity.attributes)),
            ] + locationValues(entity, creating: true))
        guard let inserted else { throw PersistenceError(.corruptedRecord, "the inserted entity has no key") }
        return inserted
    }

    /// Writes back a changed entity.
    static func update(_ connection: any Connection, key: Int64, _ entity: Entity) async throws {
        try await connection.execute(
            "UPDATE entities SET modified = ?, expires = ?, attrs = ?, location = ?, min_lon = ?, min_lat = ?, "
                + "max_lon = ?, max_lat = ? WHERE pk = ?",
            [
                .real(entity.modified), entity.expires.map { .real($0) } ?? .null,
                .text(AttributeCodec.encode(entity.attributes)),
            ] + locationValues(entity, creating: false) + [.integer(key)])
    }

    /// Deletes an entity.
    static func delete(_ connection: any Connection, key: Int64) async throws {
        try await connection.execute("DELETE FROM entities WHERE pk = ?", [.integer(key)])
    }

    /// Runs a query: one page of entities, and the total when `count` is asked.
    /// - Parameters:
    ///   - compiled: `query` compiled by its caller, which also used it to make sure of the indexes.
    ///   - indexedBy: an index the query must use (`INDEXED BY`), which must exist.
    static func query(
        _ connection: any Connection, _ query: EntityQuery, compiled: CompiledQuery, indexedBy: String? = nil
    ) async throws -> (entities: [Entity], total: Int?) {
        try await self.query(connection, query, compiled: compiled, indexedBy: indexedBy) { row in
            try StoredEntity(row: row).entity
        }
    }

    /// Runs a query and hands each row (``StoredEntity/columns``) to `transform`.
    static func query<Item>(
        _ connection: any Connection, _ query: EntityQuery, compiled: CompiledQuery, indexedBy: String? = nil,
        transform: (any SQLRow) throws -> Item
    ) async throws -> (entities: [Item], total: Int?) {
        let table = indexedBy.map { "entities INDEXED BY \($0)" } ?? "entities"
        var entities: [Item] = []
        if query.limit > 0 {
            try await connection.forEachRow(
                "SELECT \(StoredEntity.columns) FROM \(table) WHERE \(compiled.whereClause) "
                    + "ORDER BY \(compiled.orderClause) LIMIT \(query.limit) OFFSET \(query.offset)",
                compiled.arguments
            ) { row in entities.append(try transform(row)) }
        }
        var total: Int?
        if query.count {
            let row = try await connection.firstRow(
                "SELECT count(*) FROM \(table) WHERE \(compiled.whereClause)", compiled.arguments)
            total = Int(row?.first?.integer ?? 0)
        }
        return (entities, total)
    }

    /// Creates the expression indexes a query's filter and order use, if missing: the indexes Orion's tuning
    /// guide asks administrators to create by hand (perf_tuning.md, "Database indexes").
    static func createIndexes(_ connection: any Connection, paths: [String]) async throws {
        for path in paths {
            try await connection.execute(
                "CREATE INDEX IF NOT EXISTS \(BrokerSchema.indexName(for: path)) ON entities (json_extract(attrs, '\(path)'))"
            )
        }
    }

    /// Creates a filter index if missing, unless the database already holds ``FilterIndex/maximumCount`` of them.
    /// - Returns: whether the index exists afterwards.
    @discardableResult
    static func createFilterIndex(_ connection: any Connection, _ index: FilterIndex) async throws -> Bool {
        let counts = try await connection.firstRow(
            "SELECT count(*), coalesce(sum(name = ?), 0) FROM sqlite_master WHERE type = 'index' AND name GLOB ?",
            [.text(index.name), .text(FilterIndex.namePrefix + "*")])
        let existing = counts?.first?.integer ?? 0
        let present = counts?.last?.integer ?? 0
        if present > 0 { return true }
        guard existing < FilterIndex.maximumCount else { return false }
        try await connection.execute(
            "CREATE INDEX IF NOT EXISTS \(index.name) ON entities (\(index.columns.joined(separator: ", ")))")
        return true
    }

    /// Every (type, entity count, attribute names and types) in the scopes, sorted by type: two grouped scans
    /// in SQL, the attributes read with `json_each`.
    static func types(_ connection: any Connection, scopes: [ServicePath.Scope], now: Double) async throws -> [(
        type: String, count: Int, attributes: [(String, [String])]
    )] {
        var query = EntityQuery()
        query.scopes = scopes
        let compiled = query.compiled(now: now)
        var result: [(type: String, count: Int, attributes: [(String, [String])])] = []
        try await connection.forEachRow(
            "SELECT type, count(*) FROM entities WHERE \(compiled.whereClause) GROUP BY type ORDER BY type",
            compiled.arguments
        ) { row in
            guard let type = row.text(at: 0) else { return }
            result.append((type, Int(row.integer(at: 1) ?? 0), []))
        }
        var index = 0
        try await connection.forEachRow(
            "SELECT e.entity_type, json_each.key, json_extract(json_each.value, '$.t') "
                + "FROM (SELECT type AS entity_type, attrs FROM entities WHERE \(compiled.whereClause)) AS e, "
                + "json_each(e.attrs) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            compiled.arguments
        ) { row in
            guard let type = row.text(at: 0), let name = row.text(at: 1) else { return }
            let attributeType = row.text(at: 2) ?? "None"
            while index < result.count, result[index].type != type { index += 1 }
            guard index < result.count else { return }
            if result[index].attributes.last?.0 == name {
                result[index].attributes[result[index].attributes.count - 1].1.append(attributeType)
            } else {
                result[index].attributes.append((name, [attributeType]))
            }
        }
        return result
    }
}
