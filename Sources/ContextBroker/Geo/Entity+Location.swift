/// An entity's location: the attribute that geo-queries look at (orion-api.md, "Geospatial properties of
/// entities").
///
/// The location types are `geo:json` and the deprecated `geo:point`, `geo:line`, `geo:box` and `geo:polygon`; an
/// attribute with `ignoreType` metadata set to true is informative only. An entity is created with at most one
/// location attribute. Later updates may add others: the location is then the one most recently written, as in
/// Orion, where updating a location attribute makes it the entity's location.
extension Entity {
    /// The error of a second location attribute at creation.
    static let tooManyLocations = NGSIError(
        NGSIError.Code(name: "NoResourcesAvailable", status: 413),
        "You cannot use more than one geo location attribute when creating an entity. Use ignoreType metadata if you "
            + "want to add additional informative locations.")

    /// The location attribute's name and geometry, or nil when the entity has none (or its `geo:json` is null).
    /// - Parameter creating: whether the entity is being created: a second location attribute is then refused,
    ///   and errors carry no prefix; on updates they start with "error parsing location attribute: ".
    /// - Throws: ``NGSIError`` 400 for a malformed location, 413 for two locations at creation.
    func location(creating: Bool) throws(NGSIError) -> (attribute: String, geometry: GeoGeometry)? {
        let candidates = attributes.enumerated().filter { $0.element.isLocation }
        if creating, candidates.count > 1 { throw Self.tooManyLocations }
        // The most recently written location attribute; on a tie, the later one.
        guard
            let chosen = candidates.max(by: { lhs, rhs in
                let left = lhs.element.modified ?? 0
                let right = rhs.element.modified ?? 0
                return left != right ? left < right : lhs.offset < rhs.offset
            })?.element
        else { return nil }
        switch chosen.locationGeometry() {
        case .success(let geometry):
            return geometry.map { (chosen.name, $0) }
        case .failure(let failure):
            throw NGSIError(
                .badRequest, creating ? failure.reason : "error parsing location attribute: " + failure.reason)
        }
    }
}
