import Persistence

/// The broker's SQL on one tenant's database. Every method runs inside the caller's read or write transaction.
enum EntityStore {
    /// The entities with `id` (and `type`, when given) in the given scopes, at most `limit`.
    static func find(
        _ connection: SQLiteConnection, id: String, type: String?, scopes: [ServicePath.Scope], now: Double,
        limit: Int = 2
    ) throws -> [StoredEntity] {
        var query = EntityQuery()
        query.selectors = [EntityQuery.Selector(id: id, type: type)]
        query.scopes = scopes
        let compiled = query.compiled(now: now)
        var result: [StoredEntity] = []
        try connection.forEachRow(
            "SELECT \(StoredEntity.columns) FROM entities WHERE \(compiled.whereClause) ORDER BY pk LIMIT \(limit)",
            compiled.arguments
        ) { row in result.append(try StoredEntity(row: row)) }
        return result
    }

    /// The one entity a single-entity route names: 404 when none, 409 when the id is ambiguous.
    static func findOne(
        _ connection: SQLiteConnection, id: String, type: String?, scopes: [ServicePath.Scope], now: Double
    ) throws -> StoredEntity {
        let found = try find(connection, id: id, type: type, scopes: scopes, now: now)
        guard let first = found.first else { throw NGSIError.entityNotFound }
        if found.count > 1 { throw NGSIError.ambiguousEntity }
        return first
    }

    /// Inserts a new entity and returns its key; an expired twin left in the table is replaced.
    static func insert(_ connection: SQLiteConnection, _ entity: Entity) throws -> Int64 {
        try connection.execute(
            "DELETE FROM entities WHERE id = ? AND type = ? AND service_path = ? AND expires IS NOT NULL AND expires <= ?",
            [.text(entity.id), .text(entity.type), .text(entity.servicePath), .real(DateTimeFormat.now())])
        try connection.execute(
            "INSERT INTO entities (id, type, service_path, created, modified, expires, attrs) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                .text(entity.id), .text(entity.type), .text(entity.servicePath), .real(entity.created),
                .real(entity.modified), entity.expires.map { .real($0) } ?? .null,
                .text(AttributeCodec.encode(entity.attributes)),
            ])
        return connection.lastInsertedRowID
    }

    /// Writes back a changed entity.
    static func update(_ connection: SQLiteConnection, key: Int64, _ entity: Entity) throws {
        try connection.execute(
            "UPDATE entities SET modified = ?, expires = ?, attrs = ? WHERE pk = ?",
            [
                .real(entity.modified), entity.expires.map { .real($0) } ?? .null,
                .text(AttributeCodec.encode(entity.attributes)), .integer(key),
            ])
    }

    /// Deletes an entity.
    static func delete(_ connection: SQLiteConnection, key: Int64) throws {
        try connection.execute("DELETE FROM entities WHERE pk = ?", [.integer(key)])
    }

    /// Runs a query: one page of entities, and the total when `count` is asked.
    static func query(_ connection: SQLiteConnection, _ query: EntityQuery, now: Double) throws -> (
        entities: [Entity], total: Int?
    ) {
        let compiled = query.compiled(now: now)
        var entities: [Entity] = []
        if query.limit > 0 {
            try connection.forEachRow(
                "SELECT \(StoredEntity.columns) FROM entities WHERE \(compiled.whereClause) "
                    + "ORDER BY \(compiled.orderClause) LIMIT \(query.limit) OFFSET \(query.offset)",
                compiled.arguments
            ) { row in entities.append(try StoredEntity(row: row).entity) }
        }
        var total: Int?
        if query.count {
            let row = try connection.firstRow(
                "SELECT count(*) FROM entities WHERE \(compiled.whereClause)", compiled.arguments)
            total = Int(row?.first?.integer ?? 0)
        }
        return (entities, total)
    }

    /// Creates the expression indexes a query's filter and order use, if missing: the indexes Orion's tuning
    /// guide asks administrators to create by hand (perf_tuning.md, "Database indexes").
    static func createIndexes(_ connection: SQLiteConnection, paths: [String]) throws {
        for path in paths {
            try connection.execute(
                "CREATE INDEX IF NOT EXISTS \(BrokerSchema.indexName(for: path)) ON entities (json_extract(attrs, '\(path)'))"
            )
        }
    }

    /// Every (type, entity count, attribute names and types) in the scopes, sorted by type.
    static func types(_ connection: SQLiteConnection, scopes: [ServicePath.Scope], now: Double) throws -> [(
        type: String, count: Int, attributes: [(String, [String])]
    )] {
        var query = EntityQuery()
        query.scopes = scopes
        let compiled = query.compiled(now: now)
        var result: [(type: String, count: Int, attributes: [(String, [String])])] = []
        try connection.forEachRow(
            "SELECT type, attrs FROM entities WHERE \(compiled.whereClause) ORDER BY type, pk", compiled.arguments
        ) { row in
            guard let type = row.text(at: 0), let text = row.text(at: 1) else { return }
            let attributes = try AttributeCodec.decode(text)
            if result.last?.type != type { result.append((type, 0, [])) }
            let last = result.count - 1
            result[last].count += 1
            for attribute in attributes {
                if let index = result[last].attributes.firstIndex(where: { $0.0 == attribute.name }) {
                    if !result[last].attributes[index].1.contains(attribute.type) {
                        result[last].attributes[index].1.append(attribute.type)
                    }
                } else {
                    result[last].attributes.append((attribute.name, [attribute.type]))
                }
            }
        }
        return result
    }
}
