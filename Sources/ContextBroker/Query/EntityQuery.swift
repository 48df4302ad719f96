/// Everything that selects, orders and pages entities: the parameters of `GET /v2/entities` and the payload
/// of `POST /v2/op/query`.
package struct EntityQuery: Sendable {
    /// One entity selector: an id or id pattern, with a type or type pattern.
    package struct Selector: Sendable, Equatable {
        package var id: String?
        package var idPattern: String?
        package var type: String?
        package var typePattern: String?
        package init(id: String? = nil, idPattern: String? = nil, type: String? = nil, typePattern: String? = nil) {
            self.id = id
            self.idPattern = idPattern
            self.type = type
            self.typePattern = typePattern
        }
    }

    /// One `orderBy` key.
    package struct OrderKey: Sendable, Equatable {
        package var name: String
        package var descending: Bool
    }

    /// The selectors, OR-ed; empty means every entity.
    package var selectors: [Selector] = []
    /// The service path scopes, OR-ed.
    package var scopes: [ServicePath.Scope] = [ServicePath.Scope(path: "/", recursive: true)]
    /// The `q` filter.
    package var q: SimpleQuery?
    /// The `mq` filter.
    package var mq: SimpleQuery?
    /// The geo-query (`georel`, `geometry`, `coords`).
    var geo: GeoQuery?
    /// The `orderBy` keys.
    package var orderBy: [OrderKey] = []
    /// `limit` (default 20, at most 1000).
    package var limit = 20
    /// `offset`.
    package var offset = 0
    /// `options=count`.
    package var count = false

    package init() {}

    /// Parses an `orderBy` parameter: comma-separated keys, `!` for descending.
    /// - Throws: ``NGSIError`` for an empty or duplicated key.
    package static func parseOrderBy(_ text: String) throws(NGSIError) -> [OrderKey] {
        var keys: [OrderKey] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            var name = String(item)
            var descending = false
            if name.hasPrefix("!") {
                descending = true
                name.removeFirst()
            }
            if name.isEmpty { throw NGSIError(.badRequest, "Empty attribute name in orderBy") }
            if keys.contains(where: { $0.name == name }) {
                throw NGSIError(.badRequest, "duplicated attribute in orderBy: \(name)")
            }
            keys.append(OrderKey(name: name, descending: descending))
        }
        return keys
    }
}
