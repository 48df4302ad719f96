import Foundation
import Testing

@testable import ContextBroker

@Suite struct GeoGeometryRelationsTests {
    func p(_ longitude: Double, _ latitude: Double) -> GeoPosition {
        GeoPosition(longitude: longitude, latitude: latitude)
    }

    /// The square from (0,0) to (10,10), with a hole from (4,4) to (6,6).
    var squareWithHole: GeoGeometry {
        .polygon([
            [p(0, 0), p(0, 10), p(10, 10), p(10, 0), p(0, 0)],
            [p(4, 4), p(4, 6), p(6, 6), p(6, 4), p(4, 4)],
        ])
    }

    @Test func pointsInPolygonsCountTheBoundaryAndExcludeHoles() {
        #expect(GeoGeometry.point(p(2, 2)).intersects(squareWithHole))
        #expect(GeoGeometry.point(p(0, 5)).intersects(squareWithHole))
        #expect(GeoGeometry.point(p(10, 10)).intersects(squareWithHole))
        #expect(!GeoGeometry.point(p(5, 5)).intersects(squareWithHole))
        #expect(GeoGeometry.point(p(4, 5)).intersects(squareWithHole))
        #expect(!GeoGeometry.point(p(11, 5)).intersects(squareWithHole))
    }

    @Test func linesIntersectByCrossingTouchingOrLyingInside() {
        #expect(GeoGeometry.lineString([p(-5, 5), p(15, 5)]).intersects(squareWithHole))
        #expect(GeoGeometry.lineString([p(-5, 0), p(0, 0)]).intersects(squareWithHole))
        #expect(GeoGeometry.lineString([p(1, 1), p(2, 2)]).intersects(squareWithHole))
        #expect(!GeoGeometry.lineString([p(4.5, 4.5), p(5.5, 5.5)]).intersects(squareWithHole))
        #expect(!GeoGeometry.lineString([p(-5, -5), p(-1, 20)]).intersects(squareWithHole))
        #expect(GeoGeometry.lineString([p(0, 0), p(2, 2)]).intersects(.lineString([p(0, 2), p(2, 0)])))
        #expect(!GeoGeometry.lineString([p(0, 0), p(1, 1)]).intersects(.lineString([p(0, 2), p(1, 3)])))
        #expect(GeoGeometry.point(p(1, 1)).intersects(.lineString([p(0, 0), p(2, 2)])))
        #expect(GeoGeometry.multiPoint([p(50, 50), p(1, 1)]).intersects(squareWithHole))
    }

    @Test func polygonsIntersectWhenOverlappingOrNested() {
        let inner = GeoGeometry.polygon([[p(1, 1), p(1, 2), p(2, 2), p(2, 1), p(1, 1)]])
        let outside = GeoGeometry.polygon([[p(20, 20), p(20, 30), p(30, 30), p(20, 20)]])
        #expect(inner.intersects(squareWithHole))
        #expect(squareWithHole.intersects(inner))
        #expect(!outside.intersects(squareWithHole))
        #expect(
            GeoGeometry.multiPolygon([outside.parts.polygons[0], inner.parts.polygons[0]]).intersects(squareWithHole))
    }

    @Test func coverageNeedsEveryPointInside() {
        let square = GeoGeometry.polygon([[p(0, 0), p(0, 10), p(10, 10), p(10, 0), p(0, 0)]])
        #expect(GeoGeometry.point(p(3, 3)).isCovered(by: square))
        #expect(GeoGeometry.point(p(0, 3)).isCovered(by: square))
        #expect(!GeoGeometry.point(p(-1, 3)).isCovered(by: square))
        #expect(GeoGeometry.lineString([p(1, 1), p(9, 9)]).isCovered(by: square))
        #expect(!GeoGeometry.lineString([p(1, 1), p(11, 9)]).isCovered(by: square))
        #expect(!GeoGeometry.lineString([p(1, 5), p(9, 5)]).isCovered(by: squareWithHole))
        #expect(square.isCovered(by: square))
        #expect(!square.isCovered(by: squareWithHole))
        // A concave area: both ends inside, the edge between them outside.
        let u = GeoGeometry.polygon([
            [p(0, 0), p(0, 10), p(3, 10), p(3, 3), p(7, 3), p(7, 10), p(10, 10), p(10, 0), p(0, 0)]
        ])
        #expect(!GeoGeometry.lineString([p(1, 8), p(9, 8)]).isCovered(by: u))
        #expect(!GeoGeometry.point(p(5, 5)).isCovered(by: .point(p(5, 5))))
    }

    @Test func distancesAreGreatCircleMetres() {
        // One degree of latitude on MongoDB's sphere: 6,378,100 m × π / 180.
        let degree = GeoGeometry.earthRadius * .pi / 180
        let madrid = p(-3.7038, 40.4168)
        #expect(abs(GeoGeometry.point(p(0, 1)).distance(from: p(0, 0)) - degree) < 1e-6)
        #expect(abs(GeoGeometry.greatCircleDistance(madrid, madrid)) < 1e-9)
        // Madrid to Barcelona is about 505 km.
        let barcelona = p(2.1734, 41.3851)
        let distance = GeoGeometry.greatCircleDistance(madrid, barcelona)
        #expect(distance > 500_000 && distance < 510_000)
        // To a segment: the closest point is its middle, one degree north.
        let segment = GeoGeometry.lineString([p(-1, 1), p(1, 1)])
        #expect(abs(segment.distance(from: p(0, 0)) - degree) < 1)
        #expect(squareWithHole.distance(from: p(2, 2)) == 0)
        #expect(abs(squareWithHole.distance(from: p(5, 5)) - degree * cos(5 * .pi / 180)) < 10)
    }

    @Test func boundingBoxesHoldEveryPosition() {
        #expect(
            squareWithHole.boundingBox
                == GeoBox(minLongitude: 0, minLatitude: 0, maxLongitude: 10, maxLatitude: 10))
        #expect(
            GeoGeometry.point(p(3, -4)).boundingBox
                == GeoBox(minLongitude: 3, minLatitude: -4, maxLongitude: 3, maxLatitude: -4))
    }
}
