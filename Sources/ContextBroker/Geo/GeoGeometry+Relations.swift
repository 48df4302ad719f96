import Foundation

/// The spatial relations of geo-queries (orion-api.md, "Geographical Queries"), computed as MongoDB's `2dsphere`
/// index does approximately.
///
/// Intersection and coverage are planar: longitude and latitude are taken as x and y, and edges are straight
/// lines in that plane, where MongoDB follows great circles. The two agree for the small shapes geo-queries
/// usually describe and differ for long edges far from the equator and for shapes that cross the antimeridian.
/// Distances (`near`) are great-circle distances in metres on a sphere of radius 6,378,100 m, MongoDB's; the
/// closest point of a segment is found in a local equirectangular projection around the reference point.
extension GeoGeometry {
    /// MongoDB's earth radius for spherical geometry, in metres.
    static let earthRadius = 6_378_100.0

    /// Whether the two geometries share at least one point (`georel=intersects`; `disjoint` is its negation).
    func intersects(_ other: GeoGeometry) -> Bool {
        let mine = parts
        let theirs = other.parts
        let mySegments = Self.segments(mine)
        let theirSegments = Self.segments(theirs)
        for (a, b) in mySegments {
            for (c, d) in theirSegments where Self.segmentsIntersect(a, b, c, d) { return true }
        }
        // Points, and shapes lying wholly inside a polygon of the other geometry, touch no edge.
        if Self.anyRepresentative(of: mine, touches: theirs) { return true }
        if Self.anyRepresentative(of: theirs, touches: mine) { return true }
        return false
    }

    /// Whether every point of this geometry lies in `area`, boundary included (`georel=coveredBy`).
    func isCovered(by area: GeoGeometry) -> Bool {
        let polygons = area.parts.polygons
        guard !polygons.isEmpty else { return false }
        for position in positions where !polygons.contains(where: { Self.covers($0, position) }) {
            return false
        }
        // An edge may leave the area between two covered vertices: it then crosses the area's boundary.
        let areaSegments = Self.segments(area.parts)
        for (a, b) in Self.segments(parts) {
            for (c, d) in areaSegments where Self.segmentsCross(a, b, c, d) { return false }
        }
        // A hole of the area inside one of this geometry's polygons is not covered.
        for polygon in polygons {
            for hole in polygon.dropFirst() {
                guard let inside = hole.first else { continue }
                if parts.polygons.contains(where: { Self.strictlyInside($0, inside) }) { return false }
            }
        }
        return true
    }

    /// The great-circle distance in metres from `point` to the closest point of this geometry; 0 when the point
    /// lies on or in it (`georel=near`).
    func distance(from point: GeoPosition) -> Double {
        if GeoGeometry.point(point).intersects(self) { return 0 }
        let shape = parts
        var best = Double.infinity
        for position in shape.points { best = min(best, Self.greatCircleDistance(point, position)) }
        for (a, b) in Self.segments(shape) {
            best = min(best, Self.greatCircleDistance(point, Self.closestPoint(on: a, b, to: point)))
        }
        return best
    }

    /// The great-circle distance in metres between two positions (haversine formula).
    static func greatCircleDistance(_ a: GeoPosition, _ b: GeoPosition) -> Double {
        let lat1 = a.latitude * .pi / 180
        let lat2 = b.latitude * .pi / 180
        let dLat = lat2 - lat1
        let dLon = (b.longitude - a.longitude) * .pi / 180
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(lat1) * cos(lat2) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadius * asin(min(1, sqrt(h)))
    }

    // MARK: - Planar primitives on (longitude, latitude)

    private static func segments(_ shape: (points: [GeoPosition], lines: [[GeoPosition]], polygons: [[[GeoPosition]]]))
        -> [(GeoPosition, GeoPosition)]
    {
        var result: [(GeoPosition, GeoPosition)] = []
        func add(_ line: [GeoPosition]) {
            for index in line.indices.dropFirst() { result.append((line[index - 1], line[index])) }
        }
        shape.lines.forEach(add)
        for polygon in shape.polygons { polygon.forEach(add) }
        return result
    }

    /// Whether a point, line or polygon of `shape` (checked through one of its positions) lies on or in `other`.
    private static func anyRepresentative(
        of shape: (points: [GeoPosition], lines: [[GeoPosition]], polygons: [[[GeoPosition]]]),
        touches other: (points: [GeoPosition], lines: [[GeoPosition]], polygons: [[[GeoPosition]]])
    ) -> Bool {
        var representatives = shape.points
        representatives += shape.lines.compactMap(\.first)
        representatives += shape.polygons.compactMap { $0.first?.first }
        for position in representatives {
            if other.points.contains(position) { return true }
            for line in other.lines {
                for index in line.indices.dropFirst() where onSegment(position, line[index - 1], line[index]) {
                    return true
                }
            }
            if other.polygons.contains(where: { covers($0, position) }) { return true }
        }
        return false
    }

    /// The sign of the turn a → b → c: positive counter-clockwise, negative clockwise, zero when aligned.
    private static func orientation(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition) -> Double {
        (b.longitude - a.longitude) * (c.latitude - a.latitude) - (b.latitude - a.latitude)
            * (c.longitude - a.longitude)
    }

    private static func onSegment(_ p: GeoPosition, _ a: GeoPosition, _ b: GeoPosition) -> Bool {
        orientation(a, b, p) == 0 && p.longitude >= min(a.longitude, b.longitude)
            && p.longitude <= max(a.longitude, b.longitude) && p.latitude >= min(a.latitude, b.latitude)
            && p.latitude <= max(a.latitude, b.latitude)
    }

    /// Whether segments ab and cd share a point, endpoints included.
    static func segmentsIntersect(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition, _ d: GeoPosition) -> Bool {
        let o1 = orientation(a, b, c)
        let o2 = orientation(a, b, d)
        let o3 = orientation(c, d, a)
        let o4 = orientation(c, d, b)
        if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) { return true }
        return onSegment(c, a, b) || onSegment(d, a, b) || onSegment(a, c, d) || onSegment(b, c, d)
    }

    /// Whether segments ab and cd cross at a point inside both.
    private static func segmentsCross(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition, _ d: GeoPosition) -> Bool {
        let o1 = orientation(a, b, c)
        let o2 = orientation(a, b, d)
        let o3 = orientation(c, d, a)
        let o4 = orientation(c, d, b)
        return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))
    }

    /// Where `p` lies relative to a closed ring: on its boundary, inside, or outside (even-odd rule).
    private static func locate(_ p: GeoPosition, in ring: [GeoPosition]) -> (inside: Bool, boundary: Bool) {
        var inside = false
        for index in ring.indices.dropFirst() {
            let a = ring[index - 1]
            let b = ring[index]
            if onSegment(p, a, b) { return (false, true) }
            if (a.latitude > p.latitude) != (b.latitude > p.latitude) {
                let x =
                    a.longitude + (p.latitude - a.latitude) / (b.latitude - a.latitude) * (b.longitude - a.longitude)
                if p.longitude < x { inside.toggle() }
            }
        }
        return (inside, false)
    }

    /// Whether a polygon (exterior ring, then holes) covers `p`, boundaries included.
    static func covers(_ polygon: [[GeoPosition]], _ p: GeoPosition) -> Bool {
        guard let exterior = polygon.first else { return false }
        let outer = locate(p, in: exterior)
        if outer.boundary { return true }
        guard outer.inside else { return false }
        for hole in polygon.dropFirst() {
            let position = locate(p, in: hole)
            if position.boundary { return true }
            if position.inside { return false }
        }
        return true
    }

    private static func strictlyInside(_ polygon: [[GeoPosition]], _ p: GeoPosition) -> Bool {
        guard let exterior = polygon.first else { return false }
        let outer = locate(p, in: exterior)
        return outer.inside && !outer.boundary && polygon.dropFirst().allSatisfy { !locate(p, in: $0).inside }
    }

    /// The point of segment ab closest to `p`, in an equirectangular projection centred on `p`.
    private static func closestPoint(on a: GeoPosition, _ b: GeoPosition, to p: GeoPosition) -> GeoPosition {
        let scale = cos(p.latitude * .pi / 180)
        func project(_ q: GeoPosition) -> (x: Double, y: Double) {
            var dLon = q.longitude - p.longitude
            if dLon > 180 { dLon -= 360 } else if dLon < -180 { dLon += 360 }
            return (dLon * scale, q.latitude - p.latitude)
        }
        let pa = project(a)
        let pb = project(b)
        let dx = pb.x - pa.x
        let dy = pb.y - pa.y
        let length = dx * dx + dy * dy
        guard length > 0 else { return a }
        let t = max(0, min(1, -(pa.x * dx + pa.y * dy) / length))
        return GeoPosition(
            longitude: a.longitude + t * (b.longitude - a.longitude),
            latitude: a.latitude + t * (b.latitude - a.latitude))
    }
}
