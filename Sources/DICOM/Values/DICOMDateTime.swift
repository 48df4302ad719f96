/// A date and time, the value of a DT element: `YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&ZZXX]` (PS3.5 §6.2,
/// Table 6.2-1).
///
/// Components may be omitted from the right; the precision given is kept and ``description`` writes it back.
/// `&ZZXX` is an offset from UTC, `+` or `-`, from -1200 to +1400.
public struct DICOMDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 0 to 9999.
    public let year: Int
    /// The month, 1 to 12, when given.
    public let month: Int?
    /// The day of the month, when given.
    public let day: Int?
    /// The time of day, when given.
    public let time: DICOMTime?
    /// The offset from UTC in minutes, when given.
    public let utcOffsetMinutes: Int?

    /// Parses a DT value, ignoring leading and trailing spaces.
    ///
    /// - Returns: `nil` when the text is not a valid date and time.
    public init?(_ text: some StringProtocol) {
        var scanner = ValueScanner(text)
        guard let year = scanner.digits(4) else { return nil }
        var month: Int?
        var day: Int?
        var time: DICOMTime?
        if scanner.next.flatMap(ValueScanner.digit) != nil {
            guard let value = scanner.digits(2), (1...12).contains(value) else { return nil }
            month = value
            if scanner.next.flatMap(ValueScanner.digit) != nil {
                guard let value = scanner.digits(2),
                    (1...DICOMDate.days(inMonth: month ?? 1, year: year)).contains(value)
                else { return nil }
                day = value
                if scanner.next.flatMap(ValueScanner.digit) != nil {
                    // The time part of DT has no colon form.
                    var copy = scanner
                    guard let value = DICOMTime.scan(&copy),
                        !scanner.bytes[..<copy.bytes.startIndex].contains(UInt8(ascii: ":"))
                    else { return nil }
                    time = value
                    scanner = copy
                }
            }
        }
        var offset: Int?
        if let sign = scanner.next, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            _ = scanner.skip(sign == UInt8(ascii: "+") ? "+" : "-")
            guard let hours = scanner.digits(2), let minutes = scanner.digits(2), minutes < 60 else { return nil }
            let value = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
            guard (-12 * 60...14 * 60).contains(value) else { return nil }
            offset = value
        }
        guard scanner.isAtEnd else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.time = time
        self.utcOffsetMinutes = offset
    }

    /// The date and time in DICOM's form, with the precision it was given.
    public var description: String {
        var text = ValueScanner.padded(year, 4)
        if let month { text += ValueScanner.padded(month, 2) }
        if let day { text += ValueScanner.padded(day, 2) }
        if let time { text += time.description }
        if let offset = utcOffsetMinutes {
            text += offset < 0 ? "-" : "+"
            text += ValueScanner.padded(abs(offset) / 60, 2) + ValueScanner.padded(abs(offset) % 60, 2)
        }
        return text
    }

    /// Orders by the components as written, a missing one counting as its lowest value; the UTC offset is
    /// not applied, so values to compare should share one. Equality compares the components as written.
    public static func < (lhs: DICOMDateTime, rhs: DICOMDateTime) -> Bool {
        let left = (lhs.year, lhs.month ?? 1, lhs.day ?? 1)
        let right = (rhs.year, rhs.month ?? 1, rhs.day ?? 1)
        guard left == right else { return left < right }
        return (lhs.time?.components ?? (0, 0, 0, 0)) < (rhs.time?.components ?? (0, 0, 0, 0))
    }
}
