import Testing

@testable import ContextBroker

@Suite struct GeoQueryTests {
    func p(_ longitude: Double, _ latitude: Double) -> GeoPosition {
        GeoPosition(longitude: longitude, latitude: latitude)
    }

    @Test func parsesEachGeometryWithLatitudeFirstCoordinates() throws {
        let near = try GeoQuery(georel: "near;maxDistance:1000;minDistance:10", geometry: "point", coords: "40.4,-3.7")
        #expect(near.relation == .near(minimum: 10, maximum: 1000))
        #expect(near.geometry == .point(p(-3.7, 40.4)))
        let line = try GeoQuery(georel: "intersects", geometry: "line", coords: "1,2;3,4")
        #expect(line.geometry == .lineString([p(2, 1), p(4, 3)]))
        let polygon = try GeoQuery(georel: "coveredBy", geometry: "polygon", coords: "0,0;0,1;1,1;0,0")
        #expect(polygon.geometry == .polygon([[p(0, 0), p(1, 0), p(1, 1), p(0, 0)]]))
        let box = try GeoQuery(georel: "equals", geometry: "box", coords: "2,3;0,1")
        #expect(box.geometry == .polygon([[p(1, 0), p(1, 2), p(3, 2), p(3, 0), p(1, 0)]]))
        let disjoint = try GeoQuery(georel: "disjoint", geometry: "point", coords: "1, 2")
        #expect(disjoint.relation == .disjoint)
        let unfiltered = try GeoQuery(georel: nil, geometry: "point", coords: "1,2")
        #expect(unfiltered.relation == nil)
        #expect(unfiltered.matches(.point(p(100, 50))))
    }

    @Test func reportsOrionsErrors() {
        let cases: [(String?, String, String, String)] = [
            (
                "near;maxDistance:5", "circle", "1,2",
                "error parsing geometry: Invalid selector in geometry specification"
            ),
            (
                "near;maxDistance:5", "point;point", "1,2",
                "error parsing geometry: geometry-type present more than once"
            ),
            ("near", "point", "1,2", "georel /near/ without either minDistance nor maxDistance"),
            ("near;near;maxDistance:1", "point", "1,2", "georel type present more than once"),
            ("near;maxDistance:x", "point", "1,2", "invalid number for maxDistance"),
            ("near;minDistance:x", "point", "1,2", "invalid number for minDistance"),
            ("near;maxDistance:1;maxDistance:2", "point", "1,2", "maxDistance present more than once"),
            ("intersects;maxDistance:1", "point", "1,2", "maxDistance erroneously used with georel /intersects/"),
            ("coveredBy;minDistance:1", "box", "1,2;3,4", "minDistance erroneously used with georel /coveredBy/"),
            ("within", "point", "1,2", "Invalid modifier in georel parameter"),
            ("near;maxDistance:1", "box", "1,2;3,4", "georel /near/ used with geometry different than point"),
            ("coveredBy", "line", "1,2;3,4", "line geometry cannot be used with coveredBy georel"),
            ("coveredBy", "point", "1,2", "point geometry cannot be used with coveredBy georel"),
            ("intersects", "point", "1", "invalid point in URI param /coords/"),
            ("intersects", "point", "a,2", "invalid coordinates"),
            ("intersects", "point", "1,2;3,4", "invalid number of coordinates for /point/"),
            ("intersects", "line", "1,2", "invalid number of coordinates for /line/"),
            ("intersects", "box", "1,2", "invalid number of coordinates for /box/"),
            ("intersects", "box", "1,2;1,4", "box coordinates are not defining an actual box"),
            ("intersects", "polygon", "0,0;0,1;0,0", "Too few coordinates for polygon"),
            ("intersects", "polygon", "0,0;0,1;1,1;1,0", "First and last point in polygon not the same"),
            ("intersects", "point", ";", "erroneous coordinates for geometry"),
        ]
        for (georel, geometry, coords, description) in cases {
            #expect(throws: NGSIError(.badRequest, "Invalid query: " + description), "\(description)") {
                try GeoQuery(georel: georel, geometry: geometry, coords: coords)
            }
        }
    }

    @Test func checksParametersThatComeAlone() {
        #expect(throws: NGSIError(.badRequest, "Invalid query: URI param /coords/ used without /geometry/")) {
            try ContextBroker.geoQuery(georel: nil, geometry: nil, coords: "1,2")
        }
        #expect(throws: NGSIError(.badRequest, "Invalid query: URI param /geometry/ used without /coords/")) {
            try ContextBroker.geoQuery(georel: "intersects", geometry: "point", coords: nil)
        }
        #expect(throws: NGSIError(.badRequest, "Invalid query: URI param /georel/ used without /geometry/")) {
            try ContextBroker.geoQuery(georel: "intersects", geometry: nil, coords: nil)
        }
        #expect(throws: Never.self) { try ContextBroker.geoQuery(georel: nil, geometry: nil, coords: nil) }
    }

    @Test func matchesEachRelation() throws {
        let square = GeoGeometry.polygon([[p(0, 0), p(0, 10), p(10, 10), p(10, 0), p(0, 0)]])
        let inside = GeoGeometry.point(p(5, 5))
        let covered = try GeoQuery(georel: "coveredBy", geometry: "box", coords: "0,0;10,10")
        #expect(covered.matches(inside))
        #expect(!covered.matches(.point(p(11, 5))))
        let equals = try GeoQuery(georel: "equals", geometry: "box", coords: "10,10;0,0")
        #expect(equals.matches(square))
        #expect(!equals.matches(inside))
        let disjoint = try GeoQuery(georel: "disjoint", geometry: "box", coords: "0,0;10,10")
        #expect(disjoint.matches(.point(p(20, 20))))
        #expect(!disjoint.matches(inside))
        // Points 1 and 2 degrees of latitude north of the reference: about 111 km and 222 km.
        let near = try GeoQuery(georel: "near;minDistance:150000;maxDistance:250000", geometry: "point", coords: "0,0")
        #expect(!near.matches(.point(p(0, 1))))
        #expect(near.matches(.point(p(0, 2))))
        #expect(!near.matches(.point(p(0, 3))))
    }

    @Test func roundTripsThroughItsSQLArgument() throws {
        for query in [
            try GeoQuery(georel: "near;maxDistance:10.5", geometry: "point", coords: "1,2"),
            try GeoQuery(georel: "coveredBy", geometry: "polygon", coords: "0,0;0,1;1,1;0,0"),
            try GeoQuery(georel: nil, geometry: "line", coords: "0,0;1,1"),
        ] {
            #expect(GeoQuery(sqlArgument: query.sqlArgument) == query)
        }
        // One degree of latitude on MongoDB's sphere.
        let degree = GeoGeometry.earthRadius * .pi / 180
        let near = try GeoQuery(georel: "near;maxDistance:\(degree)", geometry: "point", coords: "0,0")
        let box = try #require(near.coarseBox)
        #expect(abs(box.maxLatitude - 1) < 1e-6 && abs(box.minLongitude + 1) < 1e-3, "\(box)")
        #expect(try GeoQuery(georel: "disjoint", geometry: "point", coords: "0,0").coarseBox == nil)
    }
}
