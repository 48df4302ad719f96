extension Attribute {
    /// The attribute types that make a location.
    static let locationTypes: Set<String> = ["geo:point", "geo:line", "geo:box", "geo:polygon", "geo:json"]

    /// Whether the attribute is a location: a location type without `ignoreType`.
    var isLocation: Bool { Self.locationTypes.contains(type) && !ignoresType }

    /// The geometry of a location attribute, nil for a null `geo:json`; the failure holds Orion's description.
    func locationGeometry() -> Result<GeoGeometry?, GeoFailure> {
        switch type {
        case "geo:point":
            return Self.coordinates(value.stringValue ?? "").map { Optional(GeoGeometry.point($0)) }
        case "geo:json":
            return geoJSONGeometry()
        default:
            return coordinateList().flatMap { positions -> Result<GeoGeometry?, GeoFailure> in
                switch type {
                case "geo:line":
                    guard positions.count >= 2 else {
                        return .failure(GeoFailure("geo:line uses at least 2 coordinates"))
                    }
                    return .success(.lineString(positions))
                case "geo:box":
                    guard positions.count == 2 else {
                        return .failure(GeoFailure("geo:box uses exactly 2 coordinates"))
                    }
                    guard let box = GeoGeometry.box(positions[0], positions[1]) else {
                        return .failure(GeoFailure("geo:box coordinates are not defining an actual box"))
                    }
                    return .success(box)
                default:
                    guard positions.count >= 4 else {
                        return .failure(GeoFailure("geo:polygon uses at least 4 coordinates"))
                    }
                    guard positions.first == positions.last else {
                        return .failure(GeoFailure("geo:polygon first and last coordinates must match"))
                    }
                    return .success(.polygon([positions]))
                }
            }
        }
    }

    /// `"lat, lon"`, as the deprecated geo types write a position.
    static func coordinates(_ text: String) -> Result<GeoPosition, GeoFailure> {
        let failure = GeoFailure("geo coordinates format error [see Orion user manual]: " + text)
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let latitude = Double(String(parts[0]).trimmingWhitespace()),
            let longitude = Double(String(parts[1]).trimmingWhitespace())
        else { return .failure(failure) }
        return GeoPosition.checked(longitude: longitude, latitude: latitude).mapError { _ in failure }
    }

    private func coordinateList() -> Result<[GeoPosition], GeoFailure> {
        guard case .array(let items) = value else {
            return .failure(GeoFailure("geo:line, geo:box and geo:polygon needs array of strings as value"))
        }
        var positions: [GeoPosition] = []
        for item in items {
            guard let text = item.stringValue else {
                return .failure(
                    GeoFailure(
                        "geo:line, geo:box and geo:polygon needs array of strings but some element is not a string"))
            }
            switch Self.coordinates(text) {
            case .success(let position): positions.append(position)
            case .failure(let failure): return .failure(failure)
            }
        }
        return .success(positions)
    }

    /// A GeoJSON geometry, or the geometry of a `Feature`, or of the one feature of a `FeatureCollection`.
    private func geoJSONGeometry() -> Result<GeoGeometry?, GeoFailure> {
        if value == .null { return .success(nil) }
        guard case .object = value else { return .failure(GeoFailure("geo:json needs an object or null as value")) }
        var geometry = value
        switch value["type"]?.stringValue {
        case "Feature":
            guard let inner = value["geometry"] else {
                return .failure(GeoFailure("geo:json Feature without geometry"))
            }
            geometry = inner
        case "FeatureCollection":
            guard case .array(let features)? = value["features"], features.count == 1,
                let inner = features[0]["geometry"]
            else {
                return .failure(GeoFailure("geo:json FeatureCollection must have exactly one Feature with a geometry"))
            }
            geometry = inner
        default:
            break
        }
        return GeoGeometry.parse(geoJSON: geometry).map { Optional($0) }.mapError {
            GeoFailure("geo:json " + $0.reason)
        }
    }
}
