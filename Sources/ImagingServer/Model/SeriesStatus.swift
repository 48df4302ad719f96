import Foundation

/// The completeness of a series, as Orthanc reports it in `Status`: whether every instance announced by the
/// series' tags has arrived.
///
/// The expected count comes from the first instance of the series (`ExpectedNumberOfInstances` metadata); each
/// instance has an index (`IndexInSeries` metadata, from InstanceNumber or ImageIndex).
package enum SeriesStatus: String, Sendable {
    /// No expected count, or an index that is not an integer.
    case unknown = "Unknown"
    /// Fewer distinct indices than expected.
    case missing = "Missing"
    /// An index out of `1...expected`, or the same index twice.
    case inconsistent = "Inconsistent"
    /// One instance for each index from 1 to the expected count.
    case complete = "Complete"

    /// The status of a series.
    ///
    /// - Parameters:
    ///   - expected: the series' expected number of instances, if known.
    ///   - indices: the `IndexInSeries` values of the instances that have one.
    package init(expected: Int64?, indices: [String]) {
        guard let expected else {
            self = .unknown
            return
        }
        var seen: Set<Int64> = []
        for text in indices {
            guard let index = Int64(text) else {
                self = .unknown
                return
            }
            guard index >= 1, index <= expected, seen.insert(index).inserted else {
                self = .inconsistent
                return
            }
        }
        self = seen.count == expected ? .complete : .missing
    }

    /// The number of instances a series should hold, from the main tags of its first instance; nil when the
    /// tags do not say or say zero.
    ///
    /// The first pair present wins: ImagesInAcquisition (0020,1002) × NumberOfTemporalPositions (0020,0105),
    /// then NumberOfSlices (0054,0081) × NumberOfTimeSlices (0054,0101), then CardiacNumberOfImages (0018,1090)
    /// alone. A value that is not an integer gives nil, as does a product below 1.
    package static func expectedNumberOfInstances(tags: [UInt32: String]) -> Int64? {
        func number(_ tag: UInt32) -> Int64?? {
            guard let text = tags[tag] else { return nil }
            return .some(Int64(text.trimmingCharacters(in: .whitespaces)))
        }
        let expected: Int64?
        if let images = number(0x0020_1002), let positions = number(0x0020_0105) {
            expected = images.flatMap { a in positions.map { b in a.multipliedReportingOverflow(by: b).partialValue } }
        } else if let slices = number(0x0054_0081), let timeSlices = number(0x0054_0101) {
            expected = slices.flatMap { a in timeSlices.map { b in a.multipliedReportingOverflow(by: b).partialValue } }
        } else if let images = number(0x0018_1090) {
            expected = images
        } else {
            expected = nil
        }
        guard let expected, expected > 0 else { return nil }
        return expected
    }

    /// The `IndexInSeries` of an instance: InstanceNumber (0020,0013) when present, else ImageIndex (0054,1330),
    /// without surrounding spaces; nil when the instance has neither.
    package static func indexInSeries(tags: [UInt32: String]) -> String? {
        (tags[0x0020_0013] ?? tags[0x0054_1330])?.trimmingCharacters(in: .whitespaces)
    }
}
