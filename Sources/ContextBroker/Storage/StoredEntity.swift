import Persistence

/// An entity as the `entities` table keeps it: its row key and its value.
struct StoredEntity: Sendable {
    /// The table's rowid, stable for the entity's life; it orders entities by creation.
    var key: Int64
    var entity: Entity

    /// The columns ``init(row:)`` reads, in order.
    static let columns = "pk, id, type, service_path, created, modified, expires, attrs"

    init(key: Int64, entity: Entity) {
        self.key = key
        self.entity = entity
    }

    init(row: any SQLRow) throws(PersistenceError) {
        guard let key = row.integer(at: 0), let id = row.text(at: 1), let type = row.text(at: 2),
            let servicePath = row.text(at: 3), let created = row.double(at: 4), let modified = row.double(at: 5),
            let attributesText = row.text(at: 7)
        else { throw PersistenceError(.corruptedRecord, "entity row with missing columns") }
        self.key = key
        self.entity = Entity(
            id: id, type: type, servicePath: servicePath, created: created, modified: modified,
            expires: row.double(at: 6), attributes: try AttributeCodec.decode(attributesText))
    }
}
