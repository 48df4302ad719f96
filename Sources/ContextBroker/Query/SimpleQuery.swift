/// A parsed Simple Query Language filter (`q` or `mq`): statements combined with AND
/// (orion-api.md, "Simple Query Language").
package struct SimpleQuery: Sendable, Equatable {
    /// One statement.
    package enum Statement: Sendable, Equatable {
        /// `path`: the attribute (or compound member) exists.
        case exists(Path)
        /// `!path`: it does not exist.
        case notExists(Path)
        /// `path op value`.
        case comparison(Path, Operator, Operand)
    }

    /// The left-hand side: the attribute name (or `attr.metadata` in `mq`) and the compound path below it.
    package struct Path: Sendable, Equatable {
        package var attribute: String
        package var metadata: String?
        package var subpath: [String]
    }

    /// The operators.
    package enum Operator: String, Sendable, Equatable {
        case equal = "=="
        case notEqual = "!="
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
        case match = "~="

        /// Orion's name of the operator in its messages.
        var orionName: String {
            switch self {
            case .equal: return "Equals"
            case .notEqual: return "Differs"
            case .greater: return "GreaterThan"
            case .greaterOrEqual: return "GreaterThanOrEqual"
            case .less: return "LessThan"
            case .lessOrEqual: return "LessThanOrEqual"
            case .match: return "MatchPattern"
            }
        }
    }

    /// The right-hand side.
    package enum Operand: Sendable, Equatable {
        case values([Literal])
        case range(Literal, Literal)
    }

    /// A literal: quoted strings stay strings; unquoted text is a number, a boolean, null or a date when it reads
    /// as one, and a string otherwise.
    package enum Literal: Sendable, Equatable {
        case number(Double)
        case string(String)
        case date(Double)
        case bool(Bool)
        case null

        /// Numbers, dates and strings can bound a range, fill a list and be ordered.
        var isRangeBound: Bool {
            switch self {
            case .number, .date, .string: return true
            case .bool, .null: return false
            }
        }

        func sameKind(as other: Literal) -> Bool {
            switch (self, other) {
            case (.number, .number), (.date, .date), (.string, .string), (.bool, .bool), (.null, .null): return true
            default: return false
            }
        }

        /// Orion's name of the value type in its messages.
        var orionTypeName: String {
            switch self {
            case .number: return "Number"
            case .string: return "String"
            case .date: return "Date"
            case .bool: return "Bool"
            case .null: return "Null"
            }
        }
    }

    /// The statements, combined with AND.
    package var statements: [Statement]

    /// Parses `text`, with Orion's checks and error texts (orion-api.md, "Simple Query Language"; the
    /// exemption of `q` and `mq` from the general forbidden-character rule is in "Field syntax restrictions").
    ///
    /// Statements are split on every `;`, quoted or not. The left-hand side of a statement may hold none of
    /// `< > " = ; ( )` (its own quotes are allowed). A string on the right-hand side, once its forcing quotes are
    /// removed, may hold none of `< > " ' = ; ( )`, and neither may the pattern of `~=`; both give
    /// "forbidden characters in String Filter". Numbers, dates, booleans and `null` are not checked.
    /// - Parameter metadata: parse as `mq` (paths are `attribute.metadata[.subpath]`).
    /// - Throws: ``NGSIError`` (400 BadRequest) with Orion's description.
    package init(_ text: String, metadata: Bool = false) throws(NGSIError) {
        if text.isEmpty || text == ";" { throw NGSIError(.badRequest, "empty q") }
        if text.contains(";;") { throw NGSIError(.badRequest, "empty q-item") }
        var body = Substring(text)
        if body.last == ";" { body.removeLast() }
        if String(body).trimmingWhitespace().hasSuffix(";") { throw NGSIError(.badRequest, "empty q-item") }
        var statements: [Statement] = []
        for item in body.split(separator: ";", omittingEmptySubsequences: true) {
            let trimmed = String(item).trimmingWhitespace()
            if trimmed.isEmpty { throw NGSIError(.badRequest, "empty q-item (only whitespace)") }
            statements.append(try SimpleQuery.parseStatement(trimmed, metadata: metadata))
        }
        self.statements = statements
    }

    /// Finds the operator outside quotes: a leading `!` is "does not exist"; otherwise the first of `==`, `~=`,
    /// `!=`, `>=`, `<=`, `<`, `>`, `:` from the left. Returns the operator (nil for "exists") and the two sides.
    private static func split(statement text: String) -> (op: Operator?, negated: Bool, left: String, right: String) {
        if text.hasPrefix("!") {
            let rest = String(text.dropFirst())
            return (nil, true, rest, rest)
        }
        let characters = Array(text)
        var inQuotes = false
        for index in characters.indices {
            let character = characters[index]
            if character == "'" {
                inQuotes.toggle()
                continue
            }
            if inQuotes { continue }
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            var op: Operator?
            var width = 1
            if next == "=" {
                switch character {
                case "=": op = .equal
                case "~": op = .match
                case "!": op = .notEqual
                case ">": op = .greaterOrEqual
                case "<": op = .lessOrEqual
                default: break
                }
                if op != nil { width = 2 }
            } else {
                switch character {
                case "<": op = .less
                case ">": op = .greater
                case ":": op = .equal
                default: break
                }
            }
            if let op {
                return (op, false, String(characters[..<index]), String(characters[(index + width)...]))
            }
        }
        return (nil, false, text, text)
    }

    private static func parseStatement(_ text: String, metadata: Bool) throws(NGSIError) -> Statement {
        let parts = split(statement: text)
        let left = parts.left.trimmingWhitespace()
        let right = parts.right.trimmingWhitespace()
        if left.isEmpty, parts.op != nil { throw NGSIError(.badRequest, "empty left-hand-side in q-item") }
        if hasForbiddenCharacters(left, allowingQuote: true) {
            throw NGSIError(.badRequest, "invalid character found in URI param /\(metadata ? "mq" : "q")/")
        }
        if right.isEmpty { throw NGSIError(.badRequest, "empty right-hand-side in q-item") }
        guard let op = parts.op else {
            if hasMisplacedQuote(right) { throw forbiddenInFilter }
            let path = try parsePath(left, metadata: metadata)
            if metadata, path.metadata == nil {
                throw NGSIError(.badRequest, "no metadata in right-hand-side of q-item")
            }
            return parts.negated ? .notExists(path) : .exists(path)
        }
        let path = try parsePath(left, metadata: metadata)
        if metadata, path.metadata == nil {
            throw NGSIError(.badRequest, "no metadata name - not valid for metadata filters")
        }
        return .comparison(path, op, try parseOperand(right, op: op))
    }

    /// The error of a forbidden character in a value or pattern.
    static let forbiddenInFilter = NGSIError(.badRequest, "forbidden characters in String Filter")

    /// Orion's general forbidden characters `< > " ' = ; ( )`, the quote excepted when `allowingQuote`.
    static func hasForbiddenCharacters(_ text: String, allowingQuote: Bool) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case 0x27 where allowingQuote: continue
            case 0x3C, 0x3E, 0x22, 0x27, 0x3D, 0x3B, 0x28, 0x29: return true
            default: continue
            }
        }
        return false
    }

    /// In a unary statement a quote may only open or close the text or stand next to a dot (`a.'b.c'.d`).
    static func hasMisplacedQuote(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        for index in bytes.indices.dropFirst() where bytes[index] == 0x27 {
            let before = bytes[index - 1]
            let after: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            if before == 0x2E || after == 0x2E || after == nil { continue }
            return true
        }
        return false
    }

    private static func parsePath(_ text: String, metadata: Bool) throws(NGSIError) -> Path {
        var tokens: [String] = []
        var current = ""
        var inQuotes = false
        for character in text {
            if character == "'" {
                inQuotes.toggle()
            } else if character == ".", !inQuotes {
                tokens.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        tokens.append(current)
        for token in tokens where token.isEmpty || token.contains("\"") || token.contains("\\") {
            throw NGSIError(.badRequest, "invalid query expression: invalid path")
        }
        if metadata {
            return Path(
                attribute: tokens[0], metadata: tokens.count > 1 ? tokens[1] : nil, subpath: Array(tokens.dropFirst(2)))
        }
        return Path(attribute: tokens[0], metadata: nil, subpath: Array(tokens.dropFirst()))
    }

    private static func parseOperand(_ text: String, op: Operator) throws(NGSIError) -> Operand {
        if op == .match {
            // The pattern is taken as it is, quotes included, and checked whole.
            if hasForbiddenCharacters(text, allowingQuote: false) { throw forbiddenInFilter }
            if !RegexCache.shared.isValid(text) {
                throw NGSIError(.badRequest, "error compiling filter regex: '\(text)'")
            }
            return .values([.string(text)])
        }
        let isEquality = op == .equal || op == .notEqual
        // As in Orion, `..` anywhere makes a range and a comma anywhere a list, quoted or not.
        let characters = Array(text)
        if let dots = characters.indices.dropLast().first(where: { characters[$0] == "." && characters[$0 + 1] == "." })
        {
            guard isEquality else { throw NGSIError(.badRequest, "ranges only valid for equal and not equal ops") }
            let low = String(characters[..<dots]).trimmingWhitespace()
            let high = String(characters[(dots + 2)...]).trimmingWhitespace()
            if low.isEmpty || high.isEmpty { throw NGSIError(.badRequest, "empty item in range") }
            let from = try value(low)
            guard from.isRangeBound else { throw NGSIError(.badRequest, "invalid data type for /range-from/") }
            let to = try value(high)
            guard to.isRangeBound else { throw NGSIError(.badRequest, "invalid data type for /range-to/") }
            guard from.sameKind(as: to) else { throw NGSIError(.badRequest, "invalid range: types mixed") }
            return .range(from, to)
        }
        if text.contains(",") {
            guard isEquality else { throw NGSIError(.badRequest, "lists only valid for equal and not equal ops") }
            let items = split(text, on: ",")
            var literals: [Literal] = []
            for item in items {
                let trimmed = item.trimmingWhitespace()
                if trimmed.isEmpty { throw NGSIError(.badRequest, "empty item in list") }
                let literal = try value(trimmed)
                guard literal.isRangeBound, literals.first.map(literal.sameKind(as:)) ?? true else {
                    throw NGSIError(.badRequest, "invalid JSON value type in list")
                }
                literals.append(literal)
            }
            return .values(literals)
        }
        let literal = try value(text)
        if !isEquality, !literal.isRangeBound {
            throw NGSIError(
                .badRequest, "values of type /\(literal.orionTypeName)/ not supported for operator /\(op.orionName)/")
        }
        return .values([literal])
    }

    /// One right-hand-side value with Orion's checks: a forced string must be closed and hold no quote, and no
    /// string may hold a forbidden character.
    static func value(_ text: String) throws(NGSIError) -> Literal {
        if text.hasPrefix("'") {
            let inner = text.dropFirst()
            guard inner.last == "'" else { throw NGSIError(.badRequest, "non-terminated forced string") }
            let content = String(inner.dropLast())
            if content.contains("'") { throw NGSIError(.badRequest, "quote in forced string") }
            if hasForbiddenCharacters(content, allowingQuote: false) { throw forbiddenInFilter }
            return .string(content)
        }
        let parsed = literal(text)
        if case .string(let string) = parsed, hasForbiddenCharacters(string, allowingQuote: false) {
            throw forbiddenInFilter
        }
        return parsed
    }

    /// Reads one literal.
    package static func literal(_ text: String) -> Literal {
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            return .string(String(text.dropFirst().dropLast()))
        }
        if let number = Double(text), text.first != "+", !text.hasPrefix("."), !text.lowercased().contains("n") {
            return .number(number)
        }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text == "null" { return .null }
        if let seconds = DateTimeFormat.parse(text) { return .date(seconds) }
        return .string(text)
    }

    /// Splits on `separator` outside single quotes, keeping the quotes.
    static func split(_ text: String, on separator: Character) -> [String] {
        var items: [String] = []
        var current = ""
        var inQuotes = false
        for character in text {
            if character == "'" { inQuotes.toggle() }
            if character == separator, !inQuotes {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current)
        return items
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
