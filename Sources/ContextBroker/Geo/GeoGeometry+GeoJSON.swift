extension GeoGeometry {
    /// Reads a GeoJSON geometry object (RFC 7946 §3.1): its `type` and `coordinates`.
    /// - Returns: the geometry, or a description of what is wrong with it.
    static func parse(geoJSON value: JSONValue) -> Result<GeoGeometry, GeoFailure> {
        guard case .object = value else { return .failure(GeoFailure("geometry is not an object")) }
        guard let type = value["type"]?.stringValue else { return .failure(GeoFailure("geometry without type")) }
        guard let coordinates = value["coordinates"] else {
            if type == "GeometryCollection" { return .failure(GeoFailure("GeometryCollection is not supported")) }
            return .failure(GeoFailure("geometry without coordinates"))
        }
        switch type {
        case "Point":
            return position(coordinates).map { .point($0) }
        case "MultiPoint":
            return array(coordinates, position).map { .multiPoint($0) }
        case "LineString":
            return line(coordinates).map { .lineString($0) }
        case "MultiLineString":
            return array(coordinates, line).map { .multiLineString($0) }
        case "Polygon":
            return polygon(coordinates).map { .polygon($0) }
        case "MultiPolygon":
            return array(coordinates, polygon).map { .multiPolygon($0) }
        default:
            return .failure(GeoFailure("unsupported geometry type \(type)"))
        }
    }

    /// The geometry as a GeoJSON object, positions as `[longitude, latitude]`.
    var geoJSON: JSONValue {
        func position(_ position: GeoPosition) -> JSONValue {
            .array([.number(position.longitude), .number(position.latitude)])
        }
        func positions(_ positions: [GeoPosition]) -> JSONValue { .array(positions.map(position)) }
        func rings(_ rings: [[GeoPosition]]) -> JSONValue { .array(rings.map(positions)) }
        let (type, coordinates): (String, JSONValue)
        switch self {
        case .point(let point): (type, coordinates) = ("Point", position(point))
        case .multiPoint(let points): (type, coordinates) = ("MultiPoint", positions(points))
        case .lineString(let line): (type, coordinates) = ("LineString", positions(line))
        case .multiLineString(let lines): (type, coordinates) = ("MultiLineString", .array(lines.map(positions)))
        case .polygon(let polygon): (type, coordinates) = ("Polygon", rings(polygon))
        case .multiPolygon(let polygons): (type, coordinates) = ("MultiPolygon", .array(polygons.map(rings)))
        }
        return .object([("type", .string(type)), ("coordinates", coordinates)])
    }

    private static func array<T>(_ value: JSONValue, _ element: (JSONValue) -> Result<T, GeoFailure>) -> Result<
        [T], GeoFailure
    > {
        guard case .array(let items) = value else { return .failure(GeoFailure("coordinates are not an array")) }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for item in items {
            switch element(item) {
            case .success(let parsed): result.append(parsed)
            case .failure(let failure): return .failure(failure)
            }
        }
        return .success(result)
    }

    /// `[longitude, latitude]` (an altitude after them is ignored), within the WGS84 ranges.
    static func position(_ value: JSONValue) -> Result<GeoPosition, GeoFailure> {
        guard case .array(let items) = value, items.count >= 2, case .number(let longitude) = items[0],
            case .number(let latitude) = items[1]
        else { return .failure(GeoFailure("a position is not an array of numbers")) }
        return GeoPosition.checked(longitude: longitude, latitude: latitude)
    }

    private static func line(_ value: JSONValue) -> Result<[GeoPosition], GeoFailure> {
        array(value, position).flatMap { positions in
            positions.count >= 2 ? .success(positions) : .failure(GeoFailure("a line needs at least 2 positions"))
        }
    }

    private static func polygon(_ value: JSONValue) -> Result<[[GeoPosition]], GeoFailure> {
        array(value) { ring in
            array(ring, position).flatMap { positions in
                guard positions.count >= 4 else { return .failure(GeoFailure("a ring needs at least 4 positions")) }
                guard positions.first == positions.last else { return .failure(GeoFailure("a ring is not closed")) }
                return .success(positions)
            }
        }.flatMap { rings in
            rings.isEmpty ? .failure(GeoFailure("a polygon needs a ring")) : .success(rings)
        }
    }
}
