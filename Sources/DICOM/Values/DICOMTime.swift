/// A time of day, the value of a TM element: `HH[MM[SS[.F{1-6}]]]` (PS3.5 §6.2, Table 6.2-1).
///
/// The precision given is kept: ``description`` writes back the same components and fraction digits. The
/// older `HH:MM[:SS[.F]]` form is read too. Seconds may be 60, for a leap second.
public struct DICOMTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The hour, 0 to 23.
    public let hour: Int
    /// The minute, 0 to 59, when given.
    public let minute: Int?
    /// The second, 0 to 60, when given.
    public let second: Int?
    /// The fraction of the second in microseconds, 0 when not given.
    public let microsecond: Int
    /// How many fraction digits were given, 0 to 6.
    public let fractionDigits: Int

    /// Creates a time from its parts; `fractionDigits` says how many digits of `microsecond` to write.
    ///
    /// - Returns: `nil` when a part is out of range, or a part is given without the ones before it.
    public init?(hour: Int, minute: Int? = nil, second: Int? = nil, microsecond: Int = 0, fractionDigits: Int = 0) {
        guard (0...23).contains(hour), minute.map({ (0...59).contains($0) }) ?? true,
            second.map({ (0...60).contains($0) }) ?? true, (0...999_999).contains(microsecond),
            (0...6).contains(fractionDigits), minute != nil || second == nil,
            second != nil || fractionDigits == 0
        else { return nil }
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
        self.fractionDigits = fractionDigits
    }

    /// Parses `HH[MM[SS[.F{1-6}]]]` or `HH:MM[:SS[.F{1-6}]]`, ignoring leading and trailing spaces.
    ///
    /// - Returns: `nil` when the text is not a valid time.
    public init?(_ text: some StringProtocol) {
        var scanner = ValueScanner(text)
        guard let time = DICOMTime.scan(&scanner), scanner.isAtEnd else { return nil }
        self = time
    }

    /// Reads a time from the scanner, stopping before anything that cannot continue it.
    static func scan(_ scanner: inout ValueScanner) -> DICOMTime? {
        guard let hour = scanner.digits(2) else { return nil }
        let colons = scanner.skip(":")
        var minute: Int?
        var second: Int?
        var microsecond = 0
        var fractionDigits = 0
        if colons || scanner.next.flatMap(ValueScanner.digit) != nil {
            guard let value = scanner.digits(2) else { return nil }
            minute = value
            let colon = scanner.skip(":")
            guard !colon || colons else { return nil }
            if colon || (!colons && scanner.next.flatMap(ValueScanner.digit) != nil) {
                guard let value = scanner.digits(2) else { return nil }
                second = value
                if scanner.skip(".") {
                    guard let fraction = scanner.digits(upTo: 6) else { return nil }
                    fractionDigits = fraction.count
                    microsecond = fraction.value * Int(pow10: 6 - fraction.count)
                }
            }
        }
        return DICOMTime(
            hour: hour, minute: minute, second: second, microsecond: microsecond, fractionDigits: fractionDigits)
    }

    /// The time in DICOM's form, with the precision it was given.
    public var description: String {
        var text = ValueScanner.padded(hour, 2)
        if let minute { text += ValueScanner.padded(minute, 2) }
        if let second { text += ValueScanner.padded(second, 2) }
        if fractionDigits > 0 {
            text += "." + ValueScanner.padded(microsecond / Int(pow10: 6 - fractionDigits), fractionDigits)
        }
        return text
    }

    /// Orders by time of day; a missing component counts as zero. Equality compares the components as
    /// written, so `0730` and `073000` differ although neither sorts before the other.
    public static func < (lhs: DICOMTime, rhs: DICOMTime) -> Bool {
        lhs.components < rhs.components
    }

    /// Hour, minute, second and microsecond, missing ones as zero, for ordering.
    var components: (Int, Int, Int, Int) { (hour, minute ?? 0, second ?? 0, microsecond) }
}

fileprivate extension Int {
    /// 10 raised to a small non-negative power.
    init(pow10 exponent: Int) {
        var value = 1
        for _ in 0..<exponent { value *= 10 }
        self = value
    }
}
