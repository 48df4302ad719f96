import Synchronization

/// The parsed geo-queries the SQL functions see, by their text argument: a query is parsed once, not once per row.
final class GeoQueryCache: Sendable {
    static let shared = GeoQueryCache()
    private let queries = Mutex<[String: GeoQuery]>([:])

    func query(_ text: String) -> GeoQuery? {
        if let cached = queries.withLock({ $0[text] }) { return cached }
        guard let parsed = GeoQuery(sqlArgument: text) else { return nil }
        queries.withLock { queries in
            if queries.count > 256 { queries.removeAll() }
            queries[text] = parsed
        }
        return parsed
    }
}
