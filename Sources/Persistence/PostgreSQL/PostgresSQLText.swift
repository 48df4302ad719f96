/// Reads SQL text as PostgreSQL lexes it, for the two rewrites portable SQL needs: `?` placeholders into
/// numbered `$1`, `$2`, … ones, and a script into its statements (the extended protocol takes one at a time).
///
/// String literals (`'…'`, `''` being an escaped quote), quoted identifiers (`"…"`), dollar-quoted bodies
/// (`$tag$ … $tag$`) and comments (`-- …` to the end of the line, `/* … */`) are text: a `?` or a `;` in them is
/// kept as it is.
enum PostgresSQLText {
    /// The statement with numbered placeholders, and how many there are.
    static func numbered(_ sql: String) -> (sql: String, count: Int) {
        var output: [UInt8] = []
        output.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        scan(sql) { byte, inCode in
            if inCode, byte == UInt8(ascii: "?") {
                count += 1
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(count).utf8)
            } else {
                output.append(byte)
            }
        }
        return (String(decoding: output, as: UTF8.self), count)
    }

    /// The statements of a script, without their terminating semicolons; blank ones are left out.
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current: [UInt8] = []
        func finish() {
            let text = String(decoding: current, as: UTF8.self)
            if text.contains(where: { !$0.isWhitespace }) { statements.append(text) }
            current = []
        }
        scan(script) { byte, inCode in
            if inCode, byte == UInt8(ascii: ";") { finish() } else { current.append(byte) }
        }
        finish()
        return statements
    }

    private enum State: Equatable {
        case code, string, identifier, lineComment, blockComment
        case dollarQuoted(tag: [UInt8])
    }

    /// Calls `visit` with each byte of `sql` and whether it is SQL code rather than literal or comment text.
    private static func scan(_ sql: String, _ visit: (UInt8, Bool) -> Void) {
        let bytes = Array(sql.utf8)
        var state = State.code
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            switch state {
            case .code:
                switch byte {
                case UInt8(ascii: "'"): state = .string
                case UInt8(ascii: "\""): state = .identifier
                case UInt8(ascii: "-") where next == UInt8(ascii: "-"): state = .lineComment
                case UInt8(ascii: "/") where next == UInt8(ascii: "*"): state = .blockComment
                case UInt8(ascii: "$"):
                    if let tag = dollarTag(in: bytes, at: index) {
                        for offset in 0..<tag.count { visit(bytes[index + offset], false) }
                        index += tag.count
                        state = .dollarQuoted(tag: tag)
                        continue
                    }
                default: break
                }
                visit(byte, state == .code)
            case .string:
                visit(byte, false)
                // A doubled quote closes and at once reopens the literal, which reads the same.
                if byte == UInt8(ascii: "'") { state = .code }
            case .identifier:
                visit(byte, false)
                if byte == UInt8(ascii: "\"") { state = .code }
            case .lineComment:
                visit(byte, false)
                if byte == UInt8(ascii: "\n") { state = .code }
            case .blockComment:
                visit(byte, false)
                if byte == UInt8(ascii: "*"), next == UInt8(ascii: "/") {
                    visit(UInt8(ascii: "/"), false)
                    index += 1
                    state = .code
                }
            case .dollarQuoted(let tag):
                if byte == UInt8(ascii: "$"), index + tag.count <= bytes.count,
                    bytes[index..<(index + tag.count)].elementsEqual(tag)
                {
                    for offset in 0..<tag.count { visit(bytes[index + offset], false) }
                    index += tag.count
                    state = .code
                    continue
                }
                visit(byte, false)
            }
            index += 1
        }
    }

    /// The dollar-quote opening (`$$` or `$tag$`, the tag a letter or underscore then letters, digits and
    /// underscores) at `index`, or `nil` when the `$` there opens none (a `$1` parameter, for one).
    private static func dollarTag(in bytes: [UInt8], at index: Int) -> [UInt8]? {
        var end = index + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "$") { return Array(bytes[index...end]) }
            let isLetter =
                (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLetter || (isDigit && end > index + 1) else { return nil }
            end += 1
        }
        return nil
    }
}
