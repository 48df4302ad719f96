import Persistence

/// The SQL form of an ``EntityQuery``: a WHERE clause with its arguments, an ORDER BY clause, and the JSON paths
/// that deserve an expression index.
struct CompiledQuery {
    var whereClause: String
    var arguments: [SQLValue]
    var orderClause: String
    /// JSON paths (`$."temp".v`) that the filter or the order compares; each gets an index on first use.
    var indexedPaths: [String]
    /// The filter index that serves this query's comparisons in creation order, if one fits.
    var filterIndex: FilterIndex?
    /// Whether the filter index should be imposed on the planner: the comparisons are ranges, inequalities or
    /// patterns, which SQLite without statistics cannot judge; an equality is left to the value index.
    var prefersFilterIndex: Bool
}

extension EntityQuery {
    /// Compiles the query for the `entities` table.
    /// - Parameter now: the current time; expired transient entities are left out.
    func compiled(now: Double) -> CompiledQuery {
        var builder = SQLBuilder()
        // A value comparison in q is served by its expression index; SQLite, without statistics, would rather use
        // the type or service-path index, which matches every entity of a large type. A unary `+` on those
        // columns keeps the planner on the value index.
        builder.preferValueIndexes = (q?.statements ?? []).contains { statement in
            if case .comparison = statement { return true }
            return false
        }
        // An id is served by the (id, type, service_path) index; the planner must not take the type index instead.
        let hasIDs = selectors.contains(where: { $0.id != nil })
        if hasIDs { builder.preferValueIndexes = true }
        var comparisons = SQLBuilder()
        for statement in (q?.statements ?? []) + (mq?.statements ?? []) { comparisons.add(statement) }
        let filterIndex =
            hasIDs || !orderBy.isEmpty ? nil : FilterIndex(selectors: selectors, paths: comparisons.comparedPaths)
        let prefersFilterIndex = filterIndex != nil && !comparisons.comparesByEquality
        // An imposed filter index that leads with the type is entered by the type term, which must stay plain.
        builder.keepsTypeIndexable = prefersFilterIndex && (filterIndex?.leadsWithType ?? false)
        // SQLite tests the terms in this order. The filters come first: on a filter index they are decided from
        // the index entry alone, and only the entries that pass cost a read of the table row, which the service
        // path, the expiry and the id terms need.
        for statement in q?.statements ?? [] { builder.add(statement) }
        for statement in mq?.statements ?? [] { builder.add(statement) }
        builder.addSelectors(selectors)
        if let geo { builder.add(geo) }
        builder.addScopes(scopes)
        builder.conditions.append("(expires IS NULL OR expires > ?)")
        builder.arguments.append(.real(now))
        var order: [String] = []
        for key in orderBy {
            if key.name == "geo:distance" {
                if let term = SQLBuilder.distanceOrder(geo, descending: key.descending) { order.append(term) }
                continue
            }
            order.append(builder.orderTerm(key))
        }
        // Creation order. With a LIMIT, SQLite walks the filter index (or the table) in this order and stops at the
        // page's end, which beats reading every match through a value index and sorting; the value indexes serve
        // equalities, which are rare, and orders on an attribute.
        order.append("pk")
        return CompiledQuery(
            whereClause: builder.conditions.joined(separator: " AND "), arguments: builder.arguments,
            orderClause: order.joined(separator: ", "), indexedPaths: builder.indexedPaths, filterIndex: filterIndex,
            prefersFilterIndex: prefersFilterIndex)
    }
}

/// Accumulates conditions and arguments.
struct SQLBuilder {
    var preferValueIndexes = false
    /// Whether the type term is left plain for a filter index that leads with the type.
    var keepsTypeIndexable = false
    var conditions: [String] = []
    var arguments: [SQLValue] = []
    var indexedPaths: [String] = []
    /// The JSON paths compared by value (not the columns such as `dateCreated`).
    var comparedPaths: [String] = []
    /// Whether a JSON path is compared for equality with one value or a list, which its value index serves.
    var comparesByEquality = false

    mutating func addScopes(_ scopes: [ServicePath.Scope]) {
        if scopes.contains(where: { $0.path == "/" && $0.recursive }) { return }
        var terms: [String] = []
        let column = preferValueIndexes ? "+service_path" : "service_path"
        for scope in scopes {
            if scope.recursive {
                terms.append("(\(column) = ? OR \(column) GLOB ?)")
                arguments.append(.text(scope.path))
                arguments.append(.text(scope.path + "/*"))
            } else {
                terms.append("\(column) = ?")
                arguments.append(.text(scope.path))
            }
        }
        conditions.append("(" + terms.joined(separator: " OR ") + ")")
    }

    mutating func addSelectors(_ selectors: [EntityQuery.Selector]) {
        if selectors.isEmpty { return }
        // Plain ids without patterns collapse into one IN list, which the (id, type, service_path) index serves.
        var terms: [String] = []
        for selector in selectors {
            var parts: [String] = []
            if let id = selector.id {
                parts.append("id = ?")
                arguments.append(.text(id))
            } else if let pattern = selector.idPattern, pattern != ".*" {
                parts.append("ngsi_regex(?, id)")
                arguments.append(.text(pattern))
            }
            if let type = selector.type {
                parts.append(preferValueIndexes && !keepsTypeIndexable ? "+type = ?" : "type = ?")
                arguments.append(.text(type))
            } else if let pattern = selector.typePattern, pattern != ".*" {
                parts.append("ngsi_regex(?, type)")
                arguments.append(.text(pattern))
            }
            terms.append(parts.isEmpty ? "1" : "(" + parts.joined(separator: " AND ") + ")")
        }
        conditions.append("(" + terms.joined(separator: " OR ") + ")")
    }

    /// The SQL expressions for the value at a statement's path: its JSON type, and its value.
    private func expressions(_ path: SimpleQuery.Path) -> (column: String?, jsonPath: String) {
        if path.metadata == nil, path.subpath.isEmpty {
            switch path.attribute {
            case "dateCreated": return ("created", "")
            case "dateModified": return ("modified", "")
            case "dateExpires": return ("expires", "")
            case "servicePath": return ("service_path", "")
            default: break
            }
        }
        if let metadata = path.metadata {
            if path.subpath.isEmpty, metadata == "dateCreated" {
                return (nil, "$.\"\(path.attribute)\".c")
            }
            if path.subpath.isEmpty, metadata == "dateModified" {
                return (nil, "$.\"\(path.attribute)\".m")
            }
            return (
                nil, AttributeCodec.metadataPath(attribute: path.attribute, metadata: metadata, subpath: path.subpath)
            )
        }
        return (nil, AttributeCodec.valuePath(attribute: path.attribute, subpath: path.subpath))
    }

    mutating func add(_ statement: SimpleQuery.Statement) {
        switch statement {
        case .exists(let path), .notExists(let path):
            let negate: Bool
            if case .notExists = statement { negate = true } else { negate = false }
            let (column, jsonPath) = expressions(path)
            let test: String
            if let column {
                test = "\(column) IS NOT NULL"
            } else if path.metadata == nil, path.subpath.isEmpty {
                test = "json_type(attrs, '$.\"\(path.attribute)\"') IS NOT NULL"
            } else {
                test = "json_type(attrs, '\(jsonPath)') IS NOT NULL"
            }
            conditions.append(negate ? "NOT (\(test))" : test)
        case .comparison(let path, let op, let operand):
            let (column, jsonPath) = expressions(path)
            let value: String
            let type: String
            if let column {
                value = column
                type =
                    "(CASE WHEN \(column) IS NULL THEN NULL WHEN typeof(\(column)) = 'text' THEN 'text' ELSE 'real' END)"
            } else {
                value = "json_extract(attrs, '\(jsonPath)')"
                type = "json_type(attrs, '\(jsonPath)')"
                if !indexedPaths.contains(jsonPath) { indexedPaths.append(jsonPath) }
                if !comparedPaths.contains(jsonPath) { comparedPaths.append(jsonPath) }
                if op == .equal, case .values = operand { comparesByEquality = true }
            }
            conditions.append(
                comparison(value: value, type: type, jsonPath: column == nil ? jsonPath : nil, op, operand))
        }
    }

    private mutating func comparison(
        value: String, type: String, jsonPath: String?, _ op: SimpleQuery.Operator, _ operand: SimpleQuery.Operand
    ) -> String {
        switch operand {
        case .range(let low, let high):
            // The comparison comes first: SQLite stops at the first false term, and the type test costs a second
            // JSON parse of the row.
            let range = "(\(value) BETWEEN ? AND ? AND \(typeTest(type, low)))"
            arguments.append(bound(low))
            arguments.append(bound(high))
            return op == .notEqual ? "(\(type) IS NOT NULL AND NOT \(range))" : range
        case .values(let literals):
            switch op {
            case .equal, .notEqual:
                var terms: [String] = []
                for literal in literals {
                    terms.append(equality(value: value, type: type, jsonPath: jsonPath, literal))
                }
                let any = "(" + terms.joined(separator: " OR ") + ")"
                return op == .notEqual ? "(\(type) IS NOT NULL AND NOT \(any))" : any
            case .match:
                guard case .string(let pattern)? = literals.first else { return "0" }
                arguments.append(.text(pattern))
                return "(\(type) = 'text' AND ngsi_regex(?, \(value)))"
            case .greater, .greaterOrEqual, .less, .lessOrEqual:
                guard let literal = literals.first else { return "0" }
                switch literal {
                case .bool, .null: return "0"
                default: break
                }
                arguments.append(bound(literal))
                return "(\(value) \(op.rawValue) ? AND \(typeTest(type, literal)))"
            }
        }
    }

    private mutating func equality(value: String, type: String, jsonPath: String?, _ literal: SimpleQuery.Literal)
        -> String
    {
        switch literal {
        case .bool(let flag): return "\(type) = '\(flag ? "true" : "false")'"
        case .null: return "\(type) = 'null'"
        default:
            arguments.append(bound(literal))
            var term = "(\(value) = ? AND \(typeTest(type, literal)))"
            if let jsonPath {
                // An array matches when one of its items equals the value (orion-api.md, "Simple Query Language").
                arguments.append(bound(literal))
                let itemType = isNumeric(literal) ? "json_each.type IN ('integer','real')" : "json_each.type = 'text'"
                term +=
                    " OR (\(type) = 'array' AND EXISTS (SELECT 1 FROM json_each(attrs, '\(jsonPath)') "
                    + "WHERE \(itemType) AND json_each.value = ?))"
            }
            return "(\(term))"
        }
    }

    private func isNumeric(_ literal: SimpleQuery.Literal) -> Bool {
        switch literal {
        case .number, .date: return true
        default: return false
        }
    }

    private func typeTest(_ type: String, _ literal: SimpleQuery.Literal) -> String {
        isNumeric(literal) ? "\(type) IN ('integer','real')" : "\(type) = 'text'"
    }

    private func bound(_ literal: SimpleQuery.Literal) -> SQLValue {
        switch literal {
        case .number(let value), .date(let value): return .real(value)
        case .string(let value): return .text(value)
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .null: return .null
        }
    }

    /// An ORDER BY term following MongoDB's order across types: null, numbers, strings, objects, arrays,
    /// booleans (orion-ngsiv2-facts §1.2).
    mutating func orderTerm(_ key: EntityQuery.OrderKey) -> String {
        let direction = key.descending ? " DESC" : ""
        switch key.name {
        case "id": return "id" + direction
        case "type": return "type" + direction
        case "dateCreated": return "created" + direction
        case "dateModified": return "modified" + direction
        case "dateExpires": return "expires" + direction
        case "servicePath": return "service_path" + direction
        default:
            let path = AttributeCodec.valuePath(attribute: key.name)
            if !indexedPaths.contains(path) { indexedPaths.append(path) }
            let rank =
                "CASE json_type(attrs, '\(path)') WHEN 'null' THEN 1 WHEN 'integer' THEN 2 WHEN 'real' THEN 2 "
                + "WHEN 'text' THEN 3 WHEN 'object' THEN 4 WHEN 'array' THEN 5 WHEN 'true' THEN 6 WHEN 'false' THEN 6 "
                + "ELSE 0 END"
            return "\(rank)\(direction), json_extract(attrs, '\(path)')\(direction)"
        }
    }
}
