/// An integer, the value of an IS element: `[+|-]digits` within -2^31 to 2^31 - 1 (PS3.5 §6.2,
/// Table 6.2-1).
public struct IntegerString: Sendable, Hashable, CustomStringConvertible {
    /// The number.
    public let value: Int
    /// The text read, without its padding.
    public let text: String

    /// Parses an optional sign and decimal digits, ignoring leading and trailing spaces.
    ///
    /// - Returns: `nil` for anything else, or a value outside -2^31 to 2^31 - 1.
    public init?(_ text: some StringProtocol) {
        let scanner = ValueScanner(text)
        var bytes = scanner.bytes
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
        guard !bytes.isEmpty else { return nil }
        var magnitude = 0
        for byte in bytes {
            guard let digit = ValueScanner.digit(byte) else { return nil }
            magnitude = magnitude * 10 + digit
            // Stop before Int could overflow on absurdly long inputs.
            guard magnitude <= 1 << 31 else { return nil }
        }
        let value = negative ? -magnitude : magnitude
        guard (Int(Int32.min)...Int(Int32.max)).contains(value) else { return nil }
        self.value = value
        self.text = scanner.remainder
    }

    /// Creates the IS form of a number.
    ///
    /// - Returns: `nil` outside -2^31 to 2^31 - 1.
    public init?(_ value: Int) {
        guard (Int(Int32.min)...Int(Int32.max)).contains(value) else { return nil }
        self.value = value
        self.text = String(value)
    }

    /// The number as it was written, without padding.
    public var description: String { text }
}
