extension GeoGeometry {
    /// The polygon of a box given by two opposite corners, as Orion builds it: from the south-west corner,
    /// north, east, south and back; nil when the corners share a latitude or a longitude.
    static func box(_ a: GeoPosition, _ b: GeoPosition) -> GeoGeometry? {
        guard a.latitude != b.latitude, a.longitude != b.longitude else { return nil }
        let west = min(a.longitude, b.longitude)
        let east = max(a.longitude, b.longitude)
        let south = min(a.latitude, b.latitude)
        let north = max(a.latitude, b.latitude)
        return .polygon([
            [
                GeoPosition(longitude: west, latitude: south), GeoPosition(longitude: west, latitude: north),
                GeoPosition(longitude: east, latitude: north), GeoPosition(longitude: east, latitude: south),
                GeoPosition(longitude: west, latitude: south),
            ]
        ])
    }
}
