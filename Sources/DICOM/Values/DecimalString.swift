/// A decimal number, the value of a DS element (PS3.5 §6.2, Table 6.2-1).
///
/// The text is kept, so ``description`` gives back exactly what was read (spaces trimmed) and a value copied
/// from one data set to another round-trips without a binary-to-decimal change. The 16-byte limit of DS is
/// not enforced, as real files exceed it.
public struct DecimalString: Sendable, Hashable, CustomStringConvertible {
    /// The number.
    public let value: Double
    /// The text read, without its padding.
    public let text: String

    /// Parses `[+|-]digits[.digits][(e|E)[+|-]digits]`, or a number starting or ending with the point,
    /// ignoring leading and trailing spaces.
    ///
    /// - Returns: `nil` for anything else, including `NaN`, `inf`, hexadecimal and empty text.
    public init?(_ text: some StringProtocol) {
        let scanner = ValueScanner(text)
        var bytes = scanner.bytes
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        let integerDigits = bytes.prefix { ValueScanner.digit($0) != nil }.count
        bytes.removeFirst(integerDigits)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            fractionDigits = bytes.prefix { ValueScanner.digit($0) != nil }.count
            bytes.removeFirst(fractionDigits)
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes.removeFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
            let exponentDigits = bytes.prefix { ValueScanner.digit($0) != nil }.count
            guard exponentDigits > 0 else { return nil }
            bytes.removeFirst(exponentDigits)
        }
        let trimmed = scanner.remainder
        guard bytes.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
        self.value = value
        self.text = trimmed
    }

    /// The number as it was written, without padding.
    public var description: String { text }
}
