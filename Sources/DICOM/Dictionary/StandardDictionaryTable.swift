/// The standard data elements of PS3.6 and the command elements of PS3.7 Annex E, indexed for lookup.
///
/// Built once, on first use, from the generated text tables: a tag or keyword lookup is one hash-table access;
/// only a tag missing from the exact table is matched against the few dozen repeating-group patterns.
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

    /// The table of the generated dictionary, parsed on first use (a `static let` is initialised once,
    /// thread-safely).
    static let shared = StandardDictionaryTable(
        elements: DataDictionary.standardElementsText, repeating: DataDictionary.repeatingElementsText
    )

    /// Every element with a tag of its own, by tag.
    let entriesByTag: [DICOMTag: DictionaryEntry]
    /// Every element with a keyword, repeating or not, by keyword.
    let entriesByKeyword: [String: DictionaryEntry]
    /// The elements of repeating groups, in pattern order.
    let repeatingEntries: [RepeatingEntry]

    /// Parses the generated tables.
    ///
    /// - Parameters:
    ///   - elements: one line per element: tag, VRs, VM, `R` if retired, keyword, name.
    ///   - repeating: one line per repeating element: pattern, first tag, VRs, VM, `R` if retired, keyword, name.
    init(elements: String, repeating: String) {
        var entriesByTag: [DICOMTag: DictionaryEntry] = [:]
        var entriesByKeyword: [String: DictionaryEntry] = [:]
        for fields in DictionaryText.records(elements, fieldCount: 6) {
            let entry = DictionaryEntry(
                tag: DictionaryText.tag(fields[0]), keyword: fields[4], name: fields[5],
                vrs: DictionaryText.vrs(fields[1]), multiplicity: fields[2], isRetired: fields[3] == "R"
            )
            entriesByTag[entry.tag] = entry
            if !entry.keyword.isEmpty { entriesByKeyword[entry.keyword] = entry }
        }
        var repeatingEntries: [RepeatingEntry] = []
        for fields in DictionaryText.records(repeating, fieldCount: 7) {
            let (mask, value) = DictionaryText.pattern(fields[0])
            let entry = DictionaryEntry(
                tag: DictionaryText.tag(fields[1]), keyword: fields[5], name: fields[6],
                vrs: DictionaryText.vrs(fields[2]), multiplicity: fields[3], isRetired: fields[4] == "R"
            )
            repeatingEntries.append(RepeatingEntry(mask: mask, value: value, entry: entry))
            if !entry.keyword.isEmpty { entriesByKeyword[entry.keyword] = entry }
        }
        self.entriesByTag = entriesByTag
        self.entriesByKeyword = entriesByKeyword
        self.repeatingEntries = repeatingEntries
    }

    /// The entry of a tag: its own, else that of the repeating group it belongs to.
    func entry(for tag: DICOMTag) -> DictionaryEntry? {
        if let entry = entriesByTag[tag] { return entry }
        for repeating in repeatingEntries where repeating.matches(tag) { return repeating.entry }
        return nil
    }
}
