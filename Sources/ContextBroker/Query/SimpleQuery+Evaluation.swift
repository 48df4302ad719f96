/// Evaluates a Simple Query Language filter against an entity in memory, with the semantics of its SQL form
/// (``SQLBuilder``, which `GET /v2/entities` runs): subscriptions match each change against their `q` and `mq`
/// without a database round trip (orion-api.md, "Simple Query Language").
///
/// The rules, shared with the SQL: a number or date literal compares with numeric values only, a string literal
/// with string values only; `==` with a number or string also matches an array that holds it; `!=` and the
/// negated range need the value to exist; ordering a boolean or null matches nothing; `~=` applies to strings.
/// `DateTime` values are held as seconds, as stored, so dates compare as numbers.
extension SimpleQuery {
    /// Whether every statement holds for `entity`.
    package func matches(_ entity: Entity) -> Bool {
        statements.allSatisfy { Self.holds($0, for: entity) }
    }

    private static func holds(_ statement: Statement, for entity: Entity) -> Bool {
        switch statement {
        case .exists(let path): return value(at: path, in: entity) != nil
        case .notExists(let path): return value(at: path, in: entity) == nil
        case .comparison(let path, let op, let operand):
            return compare(value(at: path, in: entity), op, operand)
        }
    }

    /// The value a path names: a builtin, an attribute value or a metadata value, then the compound members of
    /// the subpath.
    static func value(at path: Path, in entity: Entity) -> JSONValue? {
        if path.metadata == nil, path.subpath.isEmpty {
            switch path.attribute {
            case "dateCreated": return .number(entity.created)
            case "dateModified": return .number(entity.modified)
            case "dateExpires": return entity.expires.map(JSONValue.number)
            case "servicePath": return .string(entity.servicePath)
            default: break
            }
        }
        guard let attribute = entity.attribute(named: path.attribute) else { return nil }
        var current: JSONValue
        if let name = path.metadata {
            if path.subpath.isEmpty, name == "dateCreated" { return attribute.created.map(JSONValue.number) }
            if path.subpath.isEmpty, name == "dateModified" { return attribute.modified.map(JSONValue.number) }
            guard let metadata = attribute.metadata.first(where: { $0.name == name }) else { return nil }
            current = metadata.value
        } else {
            current = attribute.value
        }
        for token in path.subpath {
            guard let member = current[token] else { return nil }
            current = member
        }
        return current
    }

    private static func compare(_ value: JSONValue?, _ op: Operator, _ operand: Operand) -> Bool {
        guard let value else { return false }
        switch operand {
        case .range(let low, let high):
            let inside = ordered(value, low).map { $0 >= 0 } == true && ordered(value, high).map { $0 <= 0 } == true
            return op == .notEqual ? !inside : inside
        case .values(let literals):
            switch op {
            case .equal: return literals.contains { equals(value, $0) }
            case .notEqual: return !literals.contains { equals(value, $0) }
            case .match:
                guard case .string(let pattern)? = literals.first, case .string(let text) = value else { return false }
                return RegexCache.shared.matches(pattern: pattern, text)
            case .greater, .greaterOrEqual, .less, .lessOrEqual:
                guard let literal = literals.first, let order = ordered(value, literal) else { return false }
                switch op {
                case .greater: return order > 0
                case .greaterOrEqual: return order >= 0
                case .less: return order < 0
                default: return order <= 0
                }
            }
        }
    }

    /// Equality of a value with a literal; an array equals a number or string it holds.
    private static func equals(_ value: JSONValue, _ literal: Literal) -> Bool {
        switch (literal, value) {
        case (.bool(let flag), .bool(let other)): return flag == other
        case (.null, .null): return true
        case (.number(let number), .number(let other)), (.date(let number), .number(let other)): return number == other
        case (.string(let text), .string(let other)): return text == other
        case (.number, .array(let items)), (.date, .array(let items)), (.string, .array(let items)):
            return items.contains { item in
                switch item {
                case .number, .string: return equals(item, literal)
                default: return false
                }
            }
        default: return false
        }
    }

    /// The order of a value against a number, date or string literal of the same kind (-1, 0, 1), or nil when
    /// they do not compare.
    private static func ordered(_ value: JSONValue, _ literal: Literal) -> Int? {
        switch (literal, value) {
        case (.number(let bound), .number(let number)), (.date(let bound), .number(let number)):
            return number < bound ? -1 : (number > bound ? 1 : 0)
        case (.string(let bound), .string(let text)):
            if text == bound { return 0 }
            return Array(text.utf8).lexicographicallyPrecedes(Array(bound.utf8)) ? -1 : 1
        default: return nil
        }
    }
}
