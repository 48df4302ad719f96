/// A geographical query: `georel`, `geometry` and `coords` (orion-api.md, "Geographical Queries").
///
/// `coords` lists `latitude,longitude` pairs separated by `;`. A `geometry` and `coords` without `georel` are
/// checked but filter nothing, as in Orion, whose database layer ignores a geo scope without a relation.
struct GeoQuery: Sendable, Equatable {
    /// The spatial relation an entity's location must have with the query's geometry.
    enum Relation: Sendable, Equatable {
        /// Within `maximum` metres and at least `minimum` metres of the point.
        case near(minimum: Double?, maximum: Double?)
        /// Wholly inside the polygon or box.
        case coveredBy
        /// Sharing a point with the geometry.
        case intersects
        /// The very same geometry.
        case equals
        /// Sharing no point with the geometry.
        case disjoint
    }

    /// The relation; nil when `georel` was not given.
    var relation: Relation?
    /// The query's shape, a box being its polygon.
    var geometry: GeoGeometry

    /// Parses the three parameters with Orion's checks and texts; `geometry` and `coords` must both be present.
    /// - Throws: ``NGSIError`` 400 `Invalid query: …`.
    init(georel: String?, geometry: String, coords: String) throws(NGSIError) {
        func invalid(_ text: String) -> NGSIError { NGSIError(.badRequest, "Invalid query: " + text) }
        var shapes: [String] = []
        for item in geometry.split(separator: ";") {
            guard ["point", "line", "box", "polygon"].contains(item) else {
                throw invalid("error parsing geometry: Invalid selector in geometry specification")
            }
            if !shapes.isEmpty { throw invalid("error parsing geometry: geometry-type present more than once") }
            shapes.append(String(item))
        }
        guard let shape = shapes.first else { throw invalid("error parsing geometry: empty geometry") }
        var relation: Relation?
        if let georel { relation = try Self.relation(georel, invalid) }
        switch (shape, relation) {
        case ("line", .coveredBy?): throw invalid("line geometry cannot be used with coveredBy georel")
        case ("point", .coveredBy?): throw invalid("point geometry cannot be used with coveredBy georel")
        case (_, .near?) where shape != "point": throw invalid("georel /near/ used with geometry different than point")
        default: break
        }
        if coords.isEmpty { throw invalid("no coordinates for geometry") }
        var points: [GeoPosition] = []
        for item in coords.split(separator: ";") {
            let pair = item.split(separator: ",", omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw invalid("invalid point in URI param /coords/") }
            guard let latitude = Double(String(pair[0]).trimmingWhitespace()),
                let longitude = Double(String(pair[1]).trimmingWhitespace()), latitude.isFinite, longitude.isFinite
            else { throw invalid("invalid coordinates") }
            points.append(GeoPosition(longitude: longitude, latitude: latitude))
        }
        if points.isEmpty { throw invalid("erroneous coordinates for geometry") }
        switch shape {
        case "polygon":
            if points.count < 4 { throw invalid("Too few coordinates for polygon") }
            if points.first != points.last { throw invalid("First and last point in polygon not the same") }
            self.geometry = .polygon([points])
        case "line":
            if points.count < 2 { throw invalid("invalid number of coordinates for /line/") }
            self.geometry = .lineString(points)
        case "box":
            if points.count != 2 { throw invalid("invalid number of coordinates for /box/") }
            guard let box = GeoGeometry.box(points[0], points[1]) else {
                throw invalid("box coordinates are not defining an actual box")
            }
            self.geometry = box
        default:
            if points.count != 1 { throw invalid("invalid number of coordinates for /point/") }
            self.geometry = .point(points[0])
        }
        self.relation = relation
    }

    private static func relation(_ text: String, _ invalid: (String) -> NGSIError) throws(NGSIError) -> Relation {
        var name: String?
        var minimum: Double?
        var maximum: Double?
        let items = text.split(separator: ";")
        if items.isEmpty { throw invalid("empty georel") }
        for item in items {
            if ["near", "coveredBy", "intersects", "equals", "disjoint"].contains(item) {
                if name != nil { throw invalid("georel type present more than once") }
                name = String(item)
            } else if item.hasPrefix("maxDistance:") {
                if maximum != nil { throw invalid("maxDistance present more than once") }
                guard let value = Double(item.dropFirst("maxDistance:".count)), value.isFinite else {
                    throw invalid("invalid number for maxDistance")
                }
                maximum = value
            } else if item.hasPrefix("minDistance:") {
                if minimum != nil { throw invalid("minDistance present more than once") }
                guard let value = Double(item.dropFirst("minDistance:".count)), value.isFinite else {
                    throw invalid("invalid number for minDistance")
                }
                minimum = value
            } else {
                throw invalid("Invalid modifier in georel parameter")
            }
        }
        if maximum != nil, name != "near" { throw invalid("maxDistance erroneously used with georel /\(name ?? "")/") }
        if minimum != nil, name != "near" { throw invalid("minDistance erroneously used with georel /\(name ?? "")/") }
        switch name {
        case "near":
            if minimum == nil, maximum == nil {
                throw invalid("georel /near/ without either minDistance nor maxDistance")
            }
            return .near(minimum: minimum, maximum: maximum)
        case "coveredBy": return .coveredBy
        case "intersects": return .intersects
        case "equals": return .equals
        case "disjoint": return .disjoint
        default: throw invalid("empty georel")
        }
    }

    /// Whether an entity located at `location` matches.
    func matches(_ location: GeoGeometry) -> Bool {
        switch relation {
        case nil: return true
        case .near(let minimum, let maximum)?:
            guard case .point(let center) = geometry else { return false }
            let distance = location.distance(from: center)
            return distance >= (minimum ?? 0) && distance <= (maximum ?? .infinity)
        case .coveredBy?: return location.isCovered(by: geometry)
        case .intersects?: return location.intersects(geometry)
        case .equals?: return location == geometry
        case .disjoint?: return !location.intersects(geometry)
        }
    }
}
