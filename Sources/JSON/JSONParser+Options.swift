extension JSONParser {
    /// What a face accepts: its limits, and how it treats what RFC 8259 leaves open or what its old reader let
    /// through.
    package struct Options: Sendable {
        /// What to do with a key already seen in the same object.
        package enum DuplicateKeys: Sendable {
            /// The later value replaces the earlier one, which keeps its position (Orion, and Orthanc's
            /// dictionaries). Lookups go through a hash table once an object has a few members, so a payload of
            /// many members costs linear time.
            case lastValueInFirstPosition
            /// Every member is kept, in order (DICOM JSON reads each member as an element).
            case keepAll
        }

        /// What to do with text that is not Unicode: bytes that are not UTF-8, or a `\u` escape of half a
        /// surrogate pair.
        package enum InvalidText: Sendable {
            /// Refuse the document.
            case refuse
            /// Read U+FFFD in its place.
            case replace
        }

        /// Which number texts are read.
        package enum Numbers: Sendable {
            /// RFC 8259 §6 exactly.
            case strict
            /// Any run of digits, `.`, `e`, `E`, `+` and `-` that Swift reads as a double (`01`, `+1`, `.5`),
            /// as the imaging server's reader accepted.
            case lenient
        }

        /// The deepest nesting of arrays and objects accepted; the outermost container is at depth 1.
        package var maximumDepth: Int
        /// The largest text accepted, in bytes; `nil` for no limit beyond the caller's own.
        package var maximumSize: Int?
        /// What to do with a repeated key.
        package var duplicateKeys: DuplicateKeys
        /// What to do with bytes that are not UTF-8.
        package var invalidUTF8: InvalidText
        /// What to do with unpaired surrogate escapes.
        package var unpairedSurrogates: InvalidText
        /// Which number texts are read.
        package var numbers: Numbers

        /// Options with the given limits and behaviours; by default strict RFC 8259, 128 levels, no size limit.
        package init(
            maximumDepth: Int = 128, maximumSize: Int? = nil,
            duplicateKeys: DuplicateKeys = .lastValueInFirstPosition, invalidUTF8: InvalidText = .refuse,
            unpairedSurrogates: InvalidText = .refuse, numbers: Numbers = .strict
        ) {
            self.maximumDepth = maximumDepth
            self.maximumSize = maximumSize
            self.duplicateKeys = duplicateKeys
            self.invalidUTF8 = invalidUTF8
            self.unpairedSurrogates = unpairedSurrogates
            self.numbers = numbers
        }
    }
}
