/// A position on the earth: longitude and latitude in degrees (WGS84), in GeoJSON's order (RFC 7946 §3.1.1).
struct GeoPosition: Sendable, Hashable {
    var longitude: Double
    var latitude: Double

    init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

extension GeoPosition {
    /// A position within longitude [-180, 180] and latitude [-90, 90].
    static func checked(longitude: Double, latitude: Double) -> Result<GeoPosition, GeoFailure> {
        guard longitude.isFinite, latitude.isFinite, abs(longitude) <= 180, abs(latitude) <= 90 else {
            return .failure(GeoFailure("coordinates out of range"))
        }
        return .success(GeoPosition(longitude: longitude, latitude: latitude))
    }
}
