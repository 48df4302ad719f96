/// The trace levels of Orion's `-t` option: which categories of DEBUG log lines are written
/// (doc/manuals/admin/cli.md, "-t <trace level>").
///
/// The syntax is a single level (`70`), a range (`20-80`), a comma-separated list (`70,90`) or a mix
/// (`60,80-90`); levels go from 0 to 255, and `0-255` selects them all.
package struct TraceLevels: Sendable, Equatable {
    /// The highest trace level.
    package static let maximum = 255

    private var selected: [Bool]

    /// No level selected: DEBUG lines are not written.
    package init() { selected = Array(repeating: false, count: Self.maximum + 1) }

    /// Parses `-t`'s value.
    /// - Returns: `nil` when the text is not a list of levels and ranges from 0 to 255.
    package init?(parsing text: String) {
        self.init()
        guard !text.isEmpty else { return nil }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2 else { return nil }
            guard let low = Self.level(bounds[0]), let high = Self.level(bounds[bounds.count - 1]), low <= high else {
                return nil
            }
            for level in low...high { selected[level] = true }
        }
    }

    private static func level(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), value <= maximum
        else { return nil }
        return value
    }

    /// Whether no level is selected.
    package var isEmpty: Bool { !selected.contains(true) }

    /// Whether `level` is selected.
    package func contains(_ level: Int) -> Bool { selected.indices.contains(level) && selected[level] }

    /// The selected levels as `-t` would take them back: ranges joined by commas (`0-255`, `1-2,5-7`).
    package var description: String {
        var parts: [String] = []
        var level = 0
        while level <= Self.maximum {
            guard selected[level] else {
                level += 1
                continue
            }
            var end = level
            while end < Self.maximum && selected[end + 1] { end += 1 }
            parts.append(end == level ? "\(level)" : "\(level)-\(end)")
            level = end + 1
        }
        return parts.joined(separator: ",")
    }
}
