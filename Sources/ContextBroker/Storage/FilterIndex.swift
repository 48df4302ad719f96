/// An index that answers a `q`/`mq` filter in creation order without reading the entities' JSON.
///
/// Its columns are the entity type (when the query names one type), the row key, then the value and the JSON
/// type of every compared path. SQLite walks it for the query's type in creation order, evaluates the
/// comparisons on the index entries and reads only the rows that match, so a filter that matches one entity in
/// a hundred reads about `limit` rows instead of parsing a hundred times as many attribute objects. Equality on a
/// rare value is still better served by the single-path value index, which the planner keeps choosing then.
struct FilterIndex: Sendable, Equatable {
    /// At most this many paths per index: each adds two expressions to every write of the entity.
    static let maximumPaths = 3
    /// At most this many filter indexes per tenant database.
    static let maximumCount = 32
    /// The prefix of the index names.
    static let namePrefix = "entities_filter_"

    /// Whether the first column is `type`.
    let leadsWithType: Bool
    /// The compared JSON paths, sorted.
    let paths: [String]

    /// The filter index for a query, or `nil` when none fits: no compared path, too many paths, or selectors
    /// that name several types or type patterns.
    init?(selectors: [EntityQuery.Selector], paths: [String]) {
        let unique = Set(paths)
        guard !unique.isEmpty, unique.count <= Self.maximumPaths else { return nil }
        if selectors.isEmpty || selectors.allSatisfy({ $0.type == nil && ($0.typePattern ?? ".*") == ".*" }) {
            leadsWithType = false
        } else if selectors.allSatisfy({ $0.type != nil }), Set(selectors.map(\.type)).count == 1 {
            leadsWithType = true
        } else {
            return nil
        }
        self.paths = unique.sorted()
    }

    /// The indexed columns, as SQL.
    var columns: [String] {
        var columns = leadsWithType ? ["type", "pk"] : ["pk"]
        for path in paths {
            columns.append("json_extract(attrs, '\(path)')")
            columns.append("json_type(attrs, '\(path)')")
        }
        return columns
    }

    /// A stable name made of safe characters.
    var name: String {
        Self.namePrefix + BrokerSchema.stableHash(columns.joined(separator: ","))
    }
}
