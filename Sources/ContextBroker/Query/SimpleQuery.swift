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
    }

    /// The statements, combined with AND.
    package var statements: [Statement]

    /// Parses `text`.
    /// - Parameter metadata: parse as `mq` (paths are `attribute.metadata[.subpath]`).
    /// - Throws: ``NGSIError`` (400 BadRequest) with Orion's description.
    package init(_ text: String, metadata: Bool = false) throws(NGSIError) {
        var statements: [Statement] = []
        for item in SimpleQuery.split(text, on: ";") {
            let trimmed = item.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            statements.append(try SimpleQuery.parseStatement(trimmed, metadata: metadata))
        }
        self.statements = statements
    }

    private static func parseStatement(_ text: String, metadata: Bool) throws(NGSIError) -> Statement {
        let characters = Array(text)
        var inQuotes = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "'" {
                inQuotes.toggle()
            } else if !inQuotes {
                let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
                var op: Operator?
                var width = 1
                switch (character, next) {
                case ("=", "="): op = .equal; width = 2
                case ("!", "="): op = .notEqual; width = 2
                case (">", "="): op = .greaterOrEqual; width = 2
                case ("<", "="): op = .lessOrEqual; width = 2
                case ("~", "="): op = .match; width = 2
                case (">", _): op = .greater
                case ("<", _): op = .less
                case (":", _): op = .equal
                default: break
                }
                if let op {
                    let left = String(characters[..<index]).trimmingWhitespace()
                    let right = String(characters[(index + width)...]).trimmingWhitespace()
                    if left.isEmpty { throw NGSIError(.badRequest, "empty left-hand-side in q-item") }
                    if right.isEmpty { throw NGSIError(.badRequest, "empty right-hand-side in q-item") }
                    let path = try parsePath(left, metadata: metadata)
                    return .comparison(path, op, try parseOperand(right, op: op))
                }
            }
            index += 1
        }
        if text.hasPrefix("!") {
            let rest = String(text.dropFirst()).trimmingWhitespace()
            if rest.isEmpty { throw NGSIError(.badRequest, "empty left-hand-side in q-item") }
            return .notExists(try parsePath(rest, metadata: metadata))
        }
        return .exists(try parsePath(text, metadata: metadata))
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
            guard tokens.count >= 2 else {
                throw NGSIError(.badRequest, "invalid query expression: metadata path needs attribute and metadata")
            }
            return Path(attribute: tokens[0], metadata: tokens[1], subpath: Array(tokens.dropFirst(2)))
        }
        return Path(attribute: tokens[0], metadata: nil, subpath: Array(tokens.dropFirst()))
    }

    private static func parseOperand(_ text: String, op: Operator) throws(NGSIError) -> Operand {
        if op == .match {
            var pattern = text
            if pattern.count >= 2, pattern.hasPrefix("'"), pattern.hasSuffix("'") {
                pattern = String(pattern.dropFirst().dropLast())
            }
            return .values([.string(pattern)])
        }
        let items = split(text, on: ",")
        if items.count > 1 {
            guard op == .equal || op == .notEqual else {
                throw NGSIError(.badRequest, "lists only valid for equal and not equal ops")
            }
            var literals: [Literal] = []
            for item in items {
                let trimmed = item.trimmingWhitespace()
                if trimmed.isEmpty { throw NGSIError(.badRequest, "empty item in list") }
                literals.append(literal(trimmed))
            }
            return .values(literals)
        }
        if let range = rangeBounds(text) {
            guard op == .equal || op == .notEqual else {
                throw NGSIError(.badRequest, "ranges only valid for equal and not equal ops")
            }
            let low = literal(range.0)
            let high = literal(range.1)
            switch (low, high) {
            case (.number, .number), (.date, .date), (.string, .string): return .range(low, high)
            default: throw NGSIError(.badRequest, "invalid range: types mixed")
            }
        }
        return .values([literal(text)])
    }

    /// `a..b` outside quotes.
    private static func rangeBounds(_ text: String) -> (String, String)? {
        let characters = Array(text)
        var inQuotes = false
        var index = 0
        while index + 1 < characters.count {
            if characters[index] == "'" { inQuotes.toggle() }
            if !inQuotes, characters[index] == ".", characters[index + 1] == "." {
                let low = String(characters[..<index]).trimmingWhitespace()
                let high = String(characters[(index + 2)...]).trimmingWhitespace()
                if low.isEmpty || high.isEmpty { return nil }
                return (low, high)
            }
            index += 1
        }
        return nil
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
