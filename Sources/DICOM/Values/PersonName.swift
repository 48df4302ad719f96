/// A person's name, the value of a PN element (PS3.5 §6.2.1).
///
/// Up to three component groups separated by `=`: alphabetic, ideographic and phonetic. Each holds up to five
/// components separated by `^`: family name, given name, middle name, prefix and suffix. Text is taken after
/// character decoding (see ``SpecificCharacterSet``) and padding removal; one value, not several joined by `\`.
public struct PersonName: Sendable, Hashable, CustomStringConvertible {
    /// One component group of a person name (PS3.5 §6.2.1.1).
    public struct ComponentGroup: Sendable, Hashable, CustomStringConvertible {
        /// The family name complex.
        public var familyName: String
        /// The given name complex.
        public var givenName: String
        /// The middle name.
        public var middleName: String
        /// The name prefix, such as a title.
        public var namePrefix: String
        /// The name suffix.
        public var nameSuffix: String

        /// Creates a group; omitted components are empty.
        public init(
            familyName: String = "", givenName: String = "", middleName: String = "", namePrefix: String = "",
            nameSuffix: String = ""
        ) {
            self.familyName = familyName
            self.givenName = givenName
            self.middleName = middleName
            self.namePrefix = namePrefix
            self.nameSuffix = nameSuffix
        }

        /// Parses `family^given^middle^prefix^suffix`, trailing components optional.
        ///
        /// - Returns: `nil` when there are more than five components.
        public init?(_ text: some StringProtocol) {
            let parts = splitScalars(text, at: "^")
            guard parts.count <= 5 else { return nil }
            func part(_ index: Int) -> String { index < parts.count ? parts[index] : "" }
            self.init(
                familyName: part(0), givenName: part(1), middleName: part(2), namePrefix: part(3),
                nameSuffix: part(4))
        }

        /// The five components in order.
        public var components: [String] { [familyName, givenName, middleName, namePrefix, nameSuffix] }

        /// True when every component is empty.
        public var isEmpty: Bool { components.allSatisfy(\.isEmpty) }

        /// The group in DICOM's form, without trailing empty components.
        public var description: String {
            var parts = components
            while parts.last?.isEmpty == true { parts.removeLast() }
            return parts.joined(separator: "^")
        }
    }

    /// The alphabetic representation: the name in single-byte characters.
    public var alphabetic: ComponentGroup
    /// The ideographic representation, e.g. kanji or hanja.
    public var ideographic: ComponentGroup
    /// The phonetic representation, e.g. hiragana or hangul.
    public var phonetic: ComponentGroup

    /// Creates a name from its groups; omitted groups are empty.
    public init(
        alphabetic: ComponentGroup = ComponentGroup(), ideographic: ComponentGroup = ComponentGroup(),
        phonetic: ComponentGroup = ComponentGroup()
    ) {
        self.alphabetic = alphabetic
        self.ideographic = ideographic
        self.phonetic = phonetic
    }

    /// Parses a PN value, e.g. `Yamada^Tarou=山田^太郎=やまだ^たろう`.
    ///
    /// Trailing spaces, the padding of PN, are removed. Components keep their inner spaces.
    ///
    /// - Returns: `nil` when there are more than three groups, a group has more than five components, or the
    ///   text holds a backslash (a value delimiter) or a control character.
    public init?(_ text: some StringProtocol) {
        var text = Substring(text)
        while text.last == " " { text.removeLast() }
        guard !text.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }) else {
            return nil
        }
        let groups = splitScalars(text, at: "=")
        guard groups.count <= 3 else { return nil }
        var parsed: [ComponentGroup] = []
        for group in groups {
            guard let value = ComponentGroup(group) else { return nil }
            parsed.append(value)
        }
        func group(_ index: Int) -> ComponentGroup { index < parsed.count ? parsed[index] : ComponentGroup() }
        self.init(alphabetic: group(0), ideographic: group(1), phonetic: group(2))
    }

    /// The name in DICOM's form, without trailing empty components or groups.
    public var description: String {
        var groups = [alphabetic, ideographic, phonetic].map(\.description)
        while groups.last?.isEmpty == true { groups.removeLast() }
        return groups.joined(separator: "=")
    }
}

/// Splits at a delimiter scalar, so a combining mark after the delimiter cannot merge with it into one
/// `Character` and hide it.
private func splitScalars(_ text: some StringProtocol, at delimiter: Unicode.Scalar) -> [String] {
    var parts: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if scalar == delimiter {
            parts.append(String(current))
            current = String.UnicodeScalarView()
        } else {
            current.append(scalar)
        }
    }
    parts.append(String(current))
    return parts
}
