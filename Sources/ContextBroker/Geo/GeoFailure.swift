/// Why a geometry could not be read; the caller puts it into Orion's error text.
struct GeoFailure: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
