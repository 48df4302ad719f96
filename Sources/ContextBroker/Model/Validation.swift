/// Orion's syntax restrictions on identifiers and values (orion-api.md, "Field syntax restrictions").
package enum Validation {
    /// `MAX_ID_LEN` in Orion: identifiers are 1 to 256 characters long.
    package static let maximumIdentifierLength = 256

    /// Characters forbidden in any request field: `< > " ' = ; ( )`.
    package static func hasForbiddenCharacters(_ text: String) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case 0x3C, 0x3E, 0x22, 0x27, 0x3D, 0x3B, 0x28, 0x29: return true
            default: continue
            }
        }
        return false
    }

    /// Whether `text` is a valid identifier: plain printable ASCII without whitespace, `&`, `?`, `/`, `#` or a
    /// forbidden character. The length is checked separately because it has its own error text.
    package static func isValidIdentifier(_ text: String) -> Bool {
        for byte in text.utf8 {
            guard byte > 0x20, byte < 0x7F else { return false }
            switch byte {
            case 0x26, 0x3F, 0x2F, 0x23, 0x3C, 0x3E, 0x22, 0x27, 0x3D, 0x3B, 0x28, 0x29: return false
            default: continue
            }
        }
        return true
    }

    /// Checks an identifier's length and characters.
    /// - Parameters:
    ///   - text: the identifier.
    ///   - what: how Orion names it in its messages (`entity id`, `attribute name`, …).
    /// - Throws: ``NGSIError`` with Orion's text.
    package static func checkIdentifier(_ text: String, _ what: String) throws(NGSIError) {
        let length = text.utf8.count
        if length > maximumIdentifierLength {
            throw NGSIError(.badRequest, "\(what) length: \(length), max length supported: \(maximumIdentifierLength)")
        }
        if length == 0 {
            throw NGSIError(.badRequest, "\(what) length: 0, min length supported: 1")
        }
        if !isValidIdentifier(text) {
            throw NGSIError(.badRequest, "Invalid characters in \(what)")
        }
    }

    /// Checks that no string inside `value` holds a forbidden character.
    /// - Throws: ``NGSIError`` with the text for `what` (`attribute value`, `metadata value`).
    package static func checkValue(_ value: JSONValue, _ what: String) throws(NGSIError) {
        switch value {
        case .string(let text):
            if hasForbiddenCharacters(text) { throw NGSIError(.badRequest, "Invalid characters in \(what)") }
        case .array(let elements):
            for element in elements { try checkValue(element, what) }
        case .object(let members):
            for (key, element) in members {
                if hasForbiddenCharacters(key) { throw NGSIError(.badRequest, "Invalid characters in \(what)") }
                try checkValue(element, what)
            }
        case .null, .bool, .number: break
        }
    }
}
