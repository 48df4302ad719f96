import Persistence

extension EntityStore {
    /// The location columns of the `entities` table, in the order of ``locationValues(_:creating:)``.
    static let locationColumns = "location, min_lon, min_lat, max_lon, max_lat"

    /// The values of the location columns for `entity`: its location as GeoJSON and its bounding box, or nulls.
    /// - Throws: ``NGSIError`` for a malformed location, or a second one at creation.
    static func locationValues(_ entity: Entity, creating: Bool) throws(NGSIError) -> [SQLValue] {
        guard let location = try entity.location(creating: creating), let box = location.geometry.boundingBox else {
            return [.null, .null, .null, .null, .null]
        }
        return [
            .text(location.geometry.geoJSON.serialized), .real(box.minLongitude), .real(box.minLatitude),
            .real(box.maxLongitude), .real(box.maxLatitude),
        ]
    }

    /// Fills the location columns of the rows written before they existed (a SQLite migration step).
    static func backfillLocations(_ connection: SQLiteConnection) throws {
        var rows: [(Int64, String)] = []
        try connection.forEachRow(#"SELECT pk, attrs FROM entities WHERE attrs LIKE '%"t":"geo:%'"#, []) { row in
            if let key = row.integer(at: 0), let attributes = row.text(at: 1) { rows.append((key, attributes)) }
        }
        for (key, text) in rows {
            let entity = Entity(
                id: "", type: "", servicePath: "", created: 0, modified: 0, attributes: try AttributeCodec.decode(text))
            let values = (try? locationValues(entity, creating: false)) ?? [.null, .null, .null, .null, .null]
            try connection.execute(
                "UPDATE entities SET location = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ? WHERE pk = ?",
                values + [.integer(key)])
        }
    }
}
