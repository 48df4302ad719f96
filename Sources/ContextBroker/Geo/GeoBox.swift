/// A rectangle in longitude and latitude: the coarse filter of geo-queries, kept in indexed columns.
struct GeoBox: Sendable, Equatable {
    var minLongitude: Double
    var minLatitude: Double
    var maxLongitude: Double
    var maxLatitude: Double

    /// Whether the two rectangles share at least a point.
    func overlaps(_ other: GeoBox) -> Bool {
        minLongitude <= other.maxLongitude && other.minLongitude <= maxLongitude && minLatitude <= other.maxLatitude
            && other.minLatitude <= maxLatitude
    }
}
