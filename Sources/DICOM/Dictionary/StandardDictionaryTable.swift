/// The standard data elements of PS3.6 and the command elements of PS3.7 Annex E, indexed for lookup.
///
/// Built on first use from the generated text table, without parsing its entries: only the tag of each line is
/// read, and a lookup is a binary search over the tags. The parser reads the VRs it needs from the line found;
/// entries are built, all at once, on the first lookup of one. A tag missing from the exact table is matched
/// against the few dozen repeating-group patterns, which are parsed up front.
/// Keyword lookups use ``StandardKeywordIndex``, built on its own first use.
struct StandardDictionaryTable: Sendable {
    /// An element of a repeating group, such as (60xx,3000), and the tag bits it fixes.
    struct RepeatingEntry: Sendable {
        /// The bits of a tag that the pattern fixes.
        let mask: UInt32
        /// The value of those bits.
        let value: UInt32
        /// The entry, under the first tag of its range.
        let entry: DictionaryEntry

        func matches(_ tag: DICOMTag) -> Bool { tag.rawValue & mask == value }
    }

    /// The table of the generated dictionary, indexed on first use (a `static let` is initialised once,
    /// thread-safely).
    static let shared = StandardDictionaryTable(
        elements: DataDictionary.standardElementsText, repeating: DataDictionary.repeatingElementsText
    )

    /// One line per element: tag, VRs, VM, `R` if retired, keyword, name.
    private let lines: DictionaryLines
    /// The tag of each line, ascending, as the generator writes them.
    private let tags: [UInt32]
    /// The elements of repeating groups, in pattern order.
    let repeatingEntries: [RepeatingEntry]

    /// Indexes the generated tables.
    ///
    /// - Parameters:
    ///   - elements: one line per element: tag, VRs, VM, `R` if retired, keyword, name, in ascending tag order.
    ///   - repeating: one line per repeating element: pattern, first tag, VRs, VM, `R` if retired, keyword, name.
    init(elements: String, repeating: String) {
        let lines = DictionaryLines(elements)
        var tags: [UInt32] = []
        tags.reserveCapacity(lines.count)
        for line in 0..<lines.count {
            let start = Int(lines.starts[line])
            let (mask, tag) = lines.pattern(start..<start + 8)
            precondition(mask == 0xFFFF_FFFF, "bad tag in dictionary")
            precondition(tags.last.map { $0 < tag } ?? true, "dictionary lines must ascend by tag")
            tags.append(tag)
        }
        let repeatingLines = DictionaryLines(repeating)
        var repeatingEntries: [RepeatingEntry] = []
        for line in 0..<repeatingLines.count {
            let fields = repeatingLines.fieldRanges(ofLine: line, count: 7)
            let (mask, value) = repeatingLines.pattern(fields[0])
            let (tagMask, tag) = repeatingLines.pattern(fields[1])
            precondition(tagMask == 0xFFFF_FFFF, "bad tag in dictionary")
            let entry = DictionaryEntry(
                tag: DICOMTag(rawValue: tag), keyword: repeatingLines.string(fields[5]),
                name: repeatingLines.string(fields[6]), vrs: repeatingLines.vrs(fields[2]),
                multiplicity: repeatingLines.string(fields[3]), isRetired: repeatingLines.string(fields[4]) == "R"
            )
            repeatingEntries.append(RepeatingEntry(mask: mask, value: value, entry: entry))
        }
        self.lines = lines
        self.tags = tags
        self.repeatingEntries = repeatingEntries
    }

    /// The number of elements with a tag of their own.
    var count: Int { tags.count }

    /// Every element with a tag of its own, in tag order, read from the lines on the first lookup of an entry.
    ///
    /// Reading all 5,091 takes about 2 ms once; reading an entry's line at each lookup cost a fifth of rendering
    /// Orthanc's `/tags` JSON, which looks up the name of every element. The parser, which needs only VRs, never
    /// builds it (``exactVRChoices(for:)``).
    private static let builtEntries: [DictionaryEntry] = {
        let table = StandardDictionaryTable.shared
        return (0..<table.count).map(table.entry(atLine:))
    }()

    /// Every element with a tag of its own, in tag order.
    var entries: [DictionaryEntry] { Self.builtEntries }

    /// The entry of a tag that has one of its own.
    func exactEntry(for tag: DICOMTag) -> DictionaryEntry? {
        line(of: tag).map { Self.builtEntries[$0] }
    }

    /// The entry of a tag: its own, else that of the repeating group it belongs to.
    func entry(for tag: DICOMTag) -> DictionaryEntry? {
        if let entry = exactEntry(for: tag) { return entry }
        return repeatingEntry(for: tag)
    }

    /// The entry of the repeating group a tag belongs to.
    func repeatingEntry(for tag: DICOMTag) -> DictionaryEntry? {
        for repeating in repeatingEntries where repeating.matches(tag) { return repeating.entry }
        return nil
    }

    /// The VRs of a tag that has an entry of its own, read without building the entry.
    func exactVRChoices(for tag: DICOMTag) -> VRChoices? {
        guard let line = line(of: tag) else { return nil }
        // The VR field follows the 8 digits of the tag and a tab.
        var choices = VRChoices()
        var index = Int(lines.starts[line]) + 9
        let bytes = lines.bytes
        while index + 1 < bytes.count, let vr = VR(byte0: bytes[index], byte1: bytes[index + 1]) {
            choices.append(vr)
            guard index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "/") else { break }
            index += 3
        }
        return choices
    }

    private func line(of tag: DICOMTag) -> Int? {
        var low = 0
        var high = tags.count
        let raw = tag.rawValue
        while low < high {
            let middle = (low + high) / 2
            if tags[middle] < raw { low = middle + 1 } else { high = middle }
        }
        return low < tags.count && tags[low] == raw ? low : nil
    }

    private func entry(atLine line: Int) -> DictionaryEntry {
        let fields = lines.fieldRanges(ofLine: line, count: 6)
        return DictionaryEntry(
            tag: DICOMTag(rawValue: tags[line]), keyword: lines.string(fields[4]), name: lines.string(fields[5]),
            vrs: lines.vrs(fields[1]), multiplicity: lines.string(fields[2]), isRetired: lines.string(fields[3]) == "R"
        )
    }
}

/// The standard elements by keyword, built on the first keyword lookup.
enum StandardKeywordIndex {
    /// Every element with a keyword, repeating or not, by keyword.
    static let shared: [String: DictionaryEntry] = {
        let table = StandardDictionaryTable.shared
        var index: [String: DictionaryEntry] = [:]
        index.reserveCapacity(table.count + table.repeatingEntries.count)
        for entry in table.entries where !entry.keyword.isEmpty { index[entry.keyword] = entry }
        for repeating in table.repeatingEntries where !repeating.entry.keyword.isEmpty {
            index[repeating.entry.keyword] = repeating.entry
        }
        return index
    }()
}

/// The VRs the dictionary allows an element, at most three (PS3.6 lists `US or SS or OW`), held without an
/// array: the parser asks for them once per element of an implicit VR data set.
struct VRChoices: Sendable {
    private(set) var first: VR?
    private var second: VR?
    private var third: VR?
    /// How many VRs there are.
    private(set) var count = 0

    mutating func append(_ vr: VR) {
        switch count {
        case 0: first = vr
        case 1: second = vr
        case 2: third = vr
        default: preconditionFailure("a dictionary entry lists more than three VRs")
        }
        count += 1
    }

    func contains(_ vr: VR) -> Bool { first == vr || second == vr || third == vr }
}
