/// Reads the ASCII digits of date, time and number values (PS3.5 §6.2).
struct ValueScanner {
    private(set) var bytes: ArraySlice<UInt8>

    /// Scans the text with leading and trailing spaces removed, the padding DICOM allows around these values.
    init(_ text: some StringProtocol) {
        var bytes = ArraySlice(text.utf8)
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: " ") || bytes.last == 0 { bytes.removeLast() }
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    /// The trimmed text not yet read.
    var remainder: String { String(decoding: bytes, as: UTF8.self) }

    /// Reads exactly `count` decimal digits as a number.
    mutating func digits(_ count: Int) -> Int? {
        guard bytes.count >= count else { return nil }
        var value = 0
        for byte in bytes.prefix(count) {
            guard let digit = ValueScanner.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        bytes.removeFirst(count)
        return value
    }

    /// Reads one to `maximum` digits, returning their value and how many there were.
    mutating func digits(upTo maximum: Int) -> (value: Int, count: Int)? {
        var value = 0
        var count = 0
        while count < maximum, let byte = bytes.first, let digit = ValueScanner.digit(byte) {
            value = value * 10 + digit
            count += 1
            bytes.removeFirst()
        }
        return count == 0 ? nil : (value, count)
    }

    /// Consumes the byte if it is next.
    mutating func skip(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, bytes.first == ascii else { return false }
        bytes.removeFirst()
        return true
    }

    /// The next byte, if any.
    var next: UInt8? { bytes.first }

    static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// Zero-pads a number to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
