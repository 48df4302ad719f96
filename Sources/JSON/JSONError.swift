/// Why a JSON text was refused: a code, a message that names the defect (never the document's content) and the
/// byte offset where it was found.
///
/// Each face maps it once to its own error: DICOM to `DICOMError.invalidJSON` with the message and offset,
/// the imaging server to Orthanc's `BadJson` with its detail texts, the broker to Orion's `ParseError`.
package struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of defect.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unexpectedEnd, unterminatedString, shortEscape, unexpectedCharacter, invalidLiteral
            case expectedKey, expectedColon, expectedComma, invalidEscape, controlCharacter, invalidNumber
            case unpairedSurrogate, invalidUTF8, trailingCharacters, tooDeep, tooLarge
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The text ends where a value, a member or a closing bracket was expected.
        package static let unexpectedEnd = Code(.unexpectedEnd)
        /// The text ends inside a string or an escape.
        package static let unterminatedString = Code(.unterminatedString)
        /// The text ends inside a `\u` escape.
        package static let shortEscape = Code(.shortEscape)
        /// A byte that cannot start a value.
        package static let unexpectedCharacter = Code(.unexpectedCharacter)
        /// A misspelt `true`, `false` or `null`.
        package static let invalidLiteral = Code(.invalidLiteral)
        /// An object member that does not start with a string key.
        package static let expectedKey = Code(.expectedKey)
        /// A key without its `:`.
        package static let expectedColon = Code(.expectedColon)
        /// A member or element followed by neither `,` nor the closing bracket.
        package static let expectedComma = Code(.expectedComma)
        /// An unknown escape, or a `\u` without four hex digits.
        package static let invalidEscape = Code(.invalidEscape)
        /// A control character (below U+0020) not escaped inside a string.
        package static let controlCharacter = Code(.controlCharacter)
        /// A number that does not follow the grammar.
        package static let invalidNumber = Code(.invalidNumber)
        /// A `\u` escape of half a surrogate pair.
        package static let unpairedSurrogate = Code(.unpairedSurrogate)
        /// A string whose bytes are not UTF-8.
        package static let invalidUTF8 = Code(.invalidUTF8)
        /// Something other than whitespace after the value.
        package static let trailingCharacters = Code(.trailingCharacters)
        /// Arrays and objects nested deeper than the limit.
        package static let tooDeep = Code(.tooDeep)
        /// A text larger than the limit.
        package static let tooLarge = Code(.tooLarge)

        package var description: String { "\(base)" }
    }

    /// The kind of defect.
    package let code: Code
    /// What is wrong, without the document's content.
    package let message: String
    /// The byte offset of the defect in the text.
    package let offset: Int

    package init(_ code: Code, _ message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    /// Equal when the codes are.
    package static func == (lhs: JSONError, rhs: JSONError) -> Bool { lhs.code == rhs.code }

    package var description: String { "\(message) (at byte \(offset))" }
}
