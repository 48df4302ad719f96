import Foundation
import Persistence

/// Geo-queries in SQL: a coarse filter on the location's bounding box, served by the `entities_location` index,
/// then the exact relation computed by the deterministic function `ngsi_geo_match(query, location)`.
extension GeoQuery {
    /// The query as the text argument of `ngsi_geo_match`: a JSON object that ``init(sqlArgument:)`` reads back.
    var sqlArgument: String {
        var members: [(String, JSONValue)] = []
        switch relation {
        case nil: members.append(("relation", .null))
        case .near(let minimum, let maximum)?:
            members.append(("relation", .string("near")))
            if let minimum { members.append(("minDistance", .number(minimum))) }
            if let maximum { members.append(("maxDistance", .number(maximum))) }
        case .coveredBy?: members.append(("relation", .string("coveredBy")))
        case .intersects?: members.append(("relation", .string("intersects")))
        case .equals?: members.append(("relation", .string("equals")))
        case .disjoint?: members.append(("relation", .string("disjoint")))
        }
        members.append(("geometry", geometry.geoJSON))
        return JSONValue.object(members).serialized
    }

    /// Reads back ``sqlArgument``.
    init?(sqlArgument: String) {
        guard let value = try? JSONParser.parse(sqlArgument), let shape = value["geometry"],
            case .success(let geometry) = GeoGeometry.parse(geoJSON: shape)
        else { return nil }
        func number(_ key: String) -> Double? {
            if case .number(let number)? = value[key] { return number }
            return nil
        }
        switch value["relation"]?.stringValue {
        case "near"?: relation = .near(minimum: number("minDistance"), maximum: number("maxDistance"))
        case "coveredBy"?: relation = .coveredBy
        case "intersects"?: relation = .intersects
        case "equals"?: relation = .equals
        case "disjoint"?: relation = .disjoint
        default: relation = nil
        }
        self.geometry = geometry
    }

    /// The rectangle an entity's location box must overlap (or, for `coveredBy` and `equals`, lie in or equal),
    /// when one exists: none for `disjoint` and for `near` without `maxDistance`, nor for circles that reach a
    /// pole or the antimeridian.
    var coarseBox: GeoBox? {
        switch relation {
        case nil, .disjoint?: return nil
        case .near(_, let maximum)?:
            guard let maximum, case .point(let center) = geometry else { return nil }
            let latitudeSpan = maximum / GeoGeometry.earthRadius * 180 / .pi
            let south = center.latitude - latitudeSpan
            let north = center.latitude + latitudeSpan
            guard south > -90, north < 90 else { return nil }
            let widest = max(abs(south), abs(north)) * .pi / 180
            let longitudeSpan = latitudeSpan / cos(widest)
            let west = center.longitude - longitudeSpan
            let east = center.longitude + longitudeSpan
            guard west >= -180, east <= 180 else { return nil }
            // A little slack for rounding: the exact test decides.
            let slack = 1e-9
            return GeoBox(
                minLongitude: west - slack, minLatitude: south - slack, maxLongitude: east + slack,
                maxLatitude: north + slack)
        case .coveredBy?, .intersects?, .equals?:
            return geometry.boundingBox
        }
    }
}

extension SQLBuilder {
    /// Adds the conditions of a geo-query. Without a relation nothing is filtered, as in Orion.
    mutating func add(_ geo: GeoQuery) {
        guard let relation = geo.relation else { return }
        var terms = ["location IS NOT NULL"]
        if let box = geo.coarseBox {
            switch relation {
            case .coveredBy:
                terms.append("min_lon >= ? AND max_lon <= ? AND min_lat >= ? AND max_lat <= ?")
                arguments += [
                    .real(box.minLongitude), .real(box.maxLongitude), .real(box.minLatitude), .real(box.maxLatitude),
                ]
            case .equals:
                terms.append("min_lon = ? AND max_lon = ? AND min_lat = ? AND max_lat = ?")
                arguments += [
                    .real(box.minLongitude), .real(box.maxLongitude), .real(box.minLatitude), .real(box.maxLatitude),
                ]
            default:
                terms.append("min_lon <= ? AND max_lon >= ? AND min_lat <= ? AND max_lat >= ?")
                arguments += [
                    .real(box.maxLongitude), .real(box.minLongitude), .real(box.maxLatitude), .real(box.minLatitude),
                ]
            }
        }
        terms.append("ngsi_geo_match(?, location)")
        arguments.append(.text(geo.sqlArgument))
        conditions.append("(" + terms.joined(separator: " AND ") + ")")
    }

    /// `orderBy=geo:distance`: the distance from the point of a `near` query; nothing otherwise, as Orion leaves
    /// that order to MongoDB's `$near`.
    static func distanceOrder(_ geo: GeoQuery?, descending: Bool) -> String? {
        guard let geo, case .near? = geo.relation, case .point(let center) = geo.geometry else { return nil }
        return "ngsi_geo_distance(\(center.longitude), \(center.latitude), location)" + (descending ? " DESC" : "")
    }
}
