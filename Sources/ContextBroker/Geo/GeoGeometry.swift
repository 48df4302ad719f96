/// A geometry that can be an entity's location or the shape of a geo-query: the GeoJSON geometry types that
/// Orion accepts in `geo:json` (Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon; orion-api.md,
/// "Geospatial properties of entities").
///
/// A polygon is a list of linear rings, the first the exterior and the others holes; each ring is closed (its last
/// position equals its first).
enum GeoGeometry: Sendable, Equatable {
    case point(GeoPosition)
    case multiPoint([GeoPosition])
    case lineString([GeoPosition])
    case multiLineString([[GeoPosition]])
    case polygon([[GeoPosition]])
    case multiPolygon([[[GeoPosition]]])

    /// Every position of the geometry.
    var positions: [GeoPosition] {
        switch self {
        case .point(let position): return [position]
        case .multiPoint(let positions), .lineString(let positions): return positions
        case .multiLineString(let lines): return lines.flatMap { $0 }
        case .polygon(let rings): return rings.flatMap { $0 }
        case .multiPolygon(let polygons): return polygons.flatMap { $0.flatMap { $0 } }
        }
    }

    /// The smallest rectangle holding every position, or nil for a geometry without positions.
    var boundingBox: GeoBox? {
        let all = positions
        guard let first = all.first else { return nil }
        var box = GeoBox(
            minLongitude: first.longitude, minLatitude: first.latitude, maxLongitude: first.longitude,
            maxLatitude: first.latitude)
        for position in all.dropFirst() {
            box.minLongitude = min(box.minLongitude, position.longitude)
            box.maxLongitude = max(box.maxLongitude, position.longitude)
            box.minLatitude = min(box.minLatitude, position.latitude)
            box.maxLatitude = max(box.maxLatitude, position.latitude)
        }
        return box
    }

    /// The geometry split into its parts: isolated points, line strings and polygons.
    var parts: (points: [GeoPosition], lines: [[GeoPosition]], polygons: [[[GeoPosition]]]) {
        switch self {
        case .point(let position): return ([position], [], [])
        case .multiPoint(let positions): return (positions, [], [])
        case .lineString(let line): return ([], [line], [])
        case .multiLineString(let lines): return ([], lines, [])
        case .polygon(let rings): return ([], [], [rings])
        case .multiPolygon(let polygons): return ([], [], polygons)
        }
    }
}
