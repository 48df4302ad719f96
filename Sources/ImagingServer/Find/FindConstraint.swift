/// One constraint of a find query on one tag, in the forms of PS3.4 §C.2.2.2 as Orthanc reads them.
///
/// - an empty value or `*`: universal matching (everything matches);
/// - a value with `\`: a list of values, any of which may match (§C.2.2.2.2 "list of UID matching", extended by
///   Orthanc to every VR);
/// - for dates and times, `A-B`, `-B` or `A-`: range matching (§C.2.2.2.5), inclusive;
/// - a value with `*` or `?`: wild card matching (§C.2.2.2.4);
/// - otherwise single value matching (§C.2.2.2.1).
///
/// Values of every VR compare case-insensitively unless the query sets `CaseSensitive` to true, as Orthanc 1.10.1
/// does in `/tools/find` (checked side by side: `PatientID`, `StudyDescription`, `Modality`, `PatientName`, lists
/// and wildcards alike). Letters are folded with Unicode upper-casing, so `é` matches `É`.
package enum FindConstraint: Sendable, Equatable {
    case universal
    case equal(String)
    case list([String])
    case range(lower: String?, upper: String?)
    case wildcard(String)

    /// Reads a query value.
    ///
    /// - Parameters:
    ///   - value: the value as given in the query.
    ///   - isDateOrTime: whether the tag is a DA, TM or DT, for which `-` means a range.
    package init(parsing value: String, isDateOrTime: Bool) {
        if value.isEmpty || value == "*" {
            self = .universal
        } else if value.contains("\\") {
            self = .list(value.split(separator: "\\", omittingEmptySubsequences: false).map(String.init))
        } else if isDateOrTime, let dash = value.firstIndex(of: "-") {
            let lower = String(value[..<dash])
            let upper = String(value[value.index(after: dash)...])
            self = .range(lower: lower.isEmpty ? nil : lower, upper: upper.isEmpty ? nil : upper)
        } else if value.contains("*") || value.contains("?") {
            self = .wildcard(value)
        } else {
            self = .equal(value)
        }
    }

    /// Whether a stored value matches; `nil` means the resource does not have the tag.
    ///
    /// - Parameter caseSensitive: false to compare letters without regard to case.
    package func matches(_ value: String?, caseSensitive: Bool) -> Bool {
        if case .universal = self { return true }
        guard let stored = value else { return false }
        let candidate = caseSensitive ? stored : stored.uppercased()
        func fold(_ text: String) -> String { caseSensitive ? text : text.uppercased() }
        switch self {
        case .universal:
            return true
        case .equal(let expected):
            return candidate == fold(expected)
        case .list(let values):
            return values.contains { item in
                if item.contains("*") || item.contains("?") {
                    return Self.wildcardMatches(Array(fold(item).unicodeScalars), Array(candidate.unicodeScalars))
                }
                return candidate == fold(item)
            }
        case .range(let lower, let upper):
            if let lower, candidate < lower { return false }
            if let upper {
                // A date-time upper bound shorter than the value covers everything it prefixes.
                let prefix = String(candidate.prefix(upper.count))
                if prefix > upper { return false }
            }
            return true
        case .wildcard(let pattern):
            return Self.wildcardMatches(Array(fold(pattern).unicodeScalars), Array(candidate.unicodeScalars))
        }
    }

    /// Glob matching: `*` matches any run of characters, `?` any single character.
    static func wildcardMatches(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var patternIndex = 0
        var textIndex = 0
        var starIndex: Int?
        var resumeIndex = 0
        while textIndex < text.count {
            if patternIndex < pattern.count, pattern[patternIndex] == "?" || pattern[patternIndex] == text[textIndex] {
                patternIndex += 1
                textIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == "*" {
                starIndex = patternIndex
                resumeIndex = textIndex
                patternIndex += 1
            } else if let star = starIndex {
                patternIndex = star + 1
                resumeIndex += 1
                textIndex = resumeIndex
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == "*" { patternIndex += 1 }
        return patternIndex == pattern.count
    }
}
