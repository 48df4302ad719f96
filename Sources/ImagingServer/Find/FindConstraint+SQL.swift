import Foundation
import Persistence

extension FindConstraint {
    /// A condition on a `value` column that every matching value satisfies, so that the database narrows the
    /// candidates before ``matches(_:caseSensitive:)`` decides; nil when no such condition is both cheap and safe.
    ///
    /// Case-insensitive conditions use SQLite's `LIKE` or PostgreSQL's `ILIKE`, and are given only for ASCII
    /// patterns: an ASCII pattern letter can only match an ASCII value letter, so nothing that matches is lost.
    /// Case-sensitive wildcards use SQLite's `GLOB` or PostgreSQL's `LIKE`, which are. A list gives one condition
    /// per item, joined by `OR`, or nil when one item has none.
    func sqlPrefilter(column: String, caseSensitive: Bool, dialect: Dialect) -> (sql: String, arguments: [SQLValue])? {
        func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }
        switch self {
        case .universal:
            return nil
        case .equal(let value):
            if caseSensitive { return ("\(column) = ?", [SQLValue(value)]) }
            guard isASCII(value) else { return nil }
            return (dialect.caseInsensitiveLike(column, "?"), [SQLValue(Self.likePattern(value, wildcards: false))])
        case .wildcard(let pattern):
            if caseSensitive {
                switch dialect {
                case .sqlite: return ("\(column) GLOB ?", [SQLValue(Self.globPattern(pattern))])
                case .postgres:
                    return ("\(column) LIKE ? ESCAPE '\\'", [SQLValue(Self.likePattern(pattern, wildcards: true))])
                }
            }
            guard isASCII(pattern) else { return nil }
            return (dialect.caseInsensitiveLike(column, "?"), [SQLValue(Self.likePattern(pattern, wildcards: true))])
        case .list(let values):
            // Each item is a value or a wildcard pattern; the list matches when one of them does.
            var alternatives: [String] = []
            var arguments: [SQLValue] = []
            for value in values {
                let item: FindConstraint = value.contains("*") || value.contains("?") ? .wildcard(value) : .equal(value)
                guard let condition = item.sqlPrefilter(column: column, caseSensitive: caseSensitive, dialect: dialect)
                else {
                    return nil
                }
                alternatives.append(condition.sql)
                arguments += condition.arguments
            }
            guard !alternatives.isEmpty else { return nil }
            return ("(" + alternatives.joined(separator: " OR ") + ")", arguments)
        case .range(let lower, let upper):
            guard isASCII(lower ?? ""), isASCII(upper ?? "") else { return nil }
            var conditions: [String] = []
            var arguments: [SQLValue] = []
            if let lower {
                conditions.append("\(column) >= ?")
                arguments.append(SQLValue(lower))
            }
            if let upper {
                conditions.append("substr(\(column), 1, \(upper.utf8.count)) <= ?")
                arguments.append(SQLValue(upper))
            }
            return conditions.isEmpty ? nil : (conditions.joined(separator: " AND "), arguments)
        }
    }

    /// A DICOM wildcard pattern for `GLOB`: `*` and `?` keep their meaning, `[` is made literal.
    static func globPattern(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "[", with: "[[]")
    }

    /// A DICOM value or wildcard pattern for `LIKE … ESCAPE '\'`.
    static func likePattern(_ pattern: String, wildcards: Bool) -> String {
        var output = ""
        for character in pattern {
            switch character {
            case "%", "_", "\\": output += "\\" + String(character)
            case "*" where wildcards: output += "%"
            case "?" where wildcards: output += "_"
            default: output.append(character)
            }
        }
        return output
    }
}
