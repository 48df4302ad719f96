/// A date, the value of a DA element: `YYYYMMDD` (PS3.5 §6.2, Table 6.2-1).
///
/// The ACR-NEMA form `YYYY.MM.DD`, still found in old files, is read too; ``description`` always gives the
/// DICOM form. The month and day are checked against the calendar (proleptic Gregorian, leap years included).
public struct DICOMDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 0 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 31.
    public let day: Int

    /// Creates a date from its parts.
    ///
    /// - Returns: `nil` when the day does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month),
            (1...DICOMDate.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYYMMDD` or `YYYY.MM.DD`, ignoring leading and trailing spaces.
    ///
    /// - Returns: `nil` when the text is not a valid date in either form.
    public init?(_ text: some StringProtocol) {
        var scanner = ValueScanner(text)
        guard let date = DICOMDate.scan(&scanner), scanner.isAtEnd else { return nil }
        self = date
    }

    /// Reads a full date from the scanner, in either form.
    static func scan(_ scanner: inout ValueScanner) -> DICOMDate? {
        guard let year = scanner.digits(4) else { return nil }
        let dotted = scanner.skip(".")
        guard let month = scanner.digits(2) else { return nil }
        guard !dotted || scanner.skip("."), let day = scanner.digits(2) else { return nil }
        return DICOMDate(year: year, month: month, day: day)
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year.isMultiple(of: 4) && !year.isMultiple(of: 100)) || year.isMultiple(of: 400) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The date as `YYYYMMDD`.
    public var description: String {
        ValueScanner.padded(year, 4) + ValueScanner.padded(month, 2) + ValueScanner.padded(day, 2)
    }

    public static func < (lhs: DICOMDate, rhs: DICOMDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
