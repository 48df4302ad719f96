/// A value that can bound a DICOM range: DA, TM or DT.
public protocol DICOMRangeBound: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Parses one value, `nil` when malformed.
    init?(_ text: some StringProtocol)
}

extension DICOMDate: DICOMRangeBound {}
extension DICOMTime: DICOMRangeBound {}
extension DICOMDateTime: DICOMRangeBound {}

/// A range of dates or times as written in a query: `A-B`, `-B` or `A-` (PS3.4 §C.2.2.2.5, range matching),
/// the form C-FIND and Orthanc's `/tools/find` take for DA, TM and DT keys.
///
/// A single value without a hyphen is not a range: parse it as the bound type. For DT, whose UTC offset may
/// itself hold a hyphen, the first split where both sides parse is taken.
public struct DICOMRange<Bound: DICOMRangeBound>: Sendable, Hashable, CustomStringConvertible {
    /// The earliest value included, or `nil` for no lower limit.
    public let lower: Bound?
    /// The latest value included, or `nil` for no upper limit.
    public let upper: Bound?

    /// Creates a range; at least one bound must be given, and the lower may not exceed the upper.
    public init?(lower: Bound?, upper: Bound?) {
        guard lower != nil || upper != nil else { return nil }
        if let lower, let upper, upper < lower { return nil }
        self.lower = lower
        self.upper = upper
    }

    /// Parses `A-B`, `-B` or `A-`, ignoring spaces around the bounds.
    ///
    /// - Returns: `nil` when there is no hyphen, a bound is malformed, both bounds are missing, or the lower
    ///   bound is after the upper one.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        for index in text.indices where text[index] == "-" {
            let left = text[..<index].trimmingCharacters(in: " ")
            let right = text[text.index(after: index)...].trimmingCharacters(in: " ")
            let lower = left.isEmpty ? nil : Bound(left)
            let upper = right.isEmpty ? nil : Bound(right)
            guard left.isEmpty || lower != nil, right.isEmpty || upper != nil else { continue }
            guard let range = DICOMRange(lower: lower, upper: upper) else { continue }
            self = range
            return
        }
        return nil
    }

    /// True when the value lies within the range, bounds included.
    public func contains(_ value: Bound) -> Bool {
        if let lower, value < lower { return false }
        if let upper, upper < value { return false }
        return true
    }

    /// The range in DICOM's form, `A-B`, `-B` or `A-`.
    public var description: String { (lower?.description ?? "") + "-" + (upper?.description ?? "") }
}

/// A range of DA values, `YYYYMMDD-YYYYMMDD`.
public typealias DICOMDateRange = DICOMRange<DICOMDate>
/// A range of TM values, `HHMMSS-HHMMSS`.
public typealias DICOMTimeRange = DICOMRange<DICOMTime>
/// A range of DT values.
public typealias DICOMDateTimeRange = DICOMRange<DICOMDateTime>

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var text = self
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return text
    }
}
