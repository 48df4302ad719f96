/// An age, the value of an AS element: three digits and a unit, `nnnD`, `nnnW`, `nnnM` or `nnnY`
/// (PS3.5 §6.2, Table 6.2-1).
public struct DICOMAge: Sendable, Hashable, CustomStringConvertible {
    /// The unit of an age.
    public enum Unit: Character, Sendable, Hashable {
        case days = "D"
        case weeks = "W"
        case months = "M"
        case years = "Y"
    }

    /// The number of units, 0 to 999.
    public let value: Int
    /// The unit.
    public let unit: Unit

    /// Creates an age.
    ///
    /// - Returns: `nil` when the value is outside 0 to 999.
    public init?(value: Int, unit: Unit) {
        guard (0...999).contains(value) else { return nil }
        self.value = value
        self.unit = unit
    }

    /// Parses `nnnD`, `nnnW`, `nnnM` or `nnnY`, ignoring leading and trailing spaces.
    ///
    /// - Returns: `nil` unless the text is exactly three digits and an upper-case unit letter.
    public init?(_ text: some StringProtocol) {
        var scanner = ValueScanner(text)
        guard let value = scanner.digits(3), let letter = scanner.next,
            let unit = Unit(rawValue: Character(Unicode.Scalar(letter)))
        else { return nil }
        _ = scanner.skip(unit.rawValue)
        guard scanner.isAtEnd else { return nil }
        self.value = value
        self.unit = unit
    }

    /// The age as `nnnU`.
    public var description: String { ValueScanner.padded(value, 3) + String(unit.rawValue) }
}
