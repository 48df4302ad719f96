/// The dictionary of private data elements, by private creator, indexed for lookup.
///
/// Private elements are named by their creator and the low byte of the element: (gggg,xxee) is the same
/// element whichever block xx the creator reserved (PS3.5 §7.8.1). A few vendors publish elements outside that
/// scheme, under a full tag or with `x` digits elsewhere; those are matched exactly, or by a short linear scan of
/// the creator's patterns.
struct PrivateDictionaryTable: Sendable {
    /// A creator and a tag, or a creator, a group and an element's low byte.
    struct Key: Hashable, Sendable {
        let creator: String
        let rawTag: UInt32
    }

    /// A private element whose pattern has `x` digits other than the block.
    struct MaskedEntry: Sendable {
        let mask: UInt32
        let value: UInt32
        let entry: DictionaryEntry
    }

    /// The table of the generated private dictionary, parsed on first use.
    static let shared = PrivateDictionaryTable(text: DataDictionary.privateElementsText)

    /// Elements published under a full tag, by creator and tag.
    let exactEntries: [Key: DictionaryEntry]
    /// Elements of the (gggg,xxee) form, by creator and `gggg00ee`.
    let blockEntries: [Key: DictionaryEntry]
    /// Elements of any other pattern, by creator.
    let maskedEntries: [String: [MaskedEntry]]
    /// The number of entries of the dictionary.
    let count: Int

    /// Parses the generated table: one line per element: creator, pattern, VRs, VM, `R` if retired, name.
    init(text: String) {
        var exactEntries: [Key: DictionaryEntry] = [:]
        var blockEntries: [Key: DictionaryEntry] = [:]
        var maskedEntries: [String: [MaskedEntry]] = [:]
        var count = 0
        for fields in DictionaryText.records(text, fieldCount: 6) {
            let creator = fields[0]
            let (mask, value) = DictionaryText.pattern(fields[1])
            let entry = DictionaryEntry(
                tag: DICOMTag(rawValue: value), keyword: "", name: fields[5], vrs: DictionaryText.vrs(fields[2]),
                multiplicity: fields[3], isRetired: fields[4] == "R"
            )
            switch mask {
            case 0xFFFF_FFFF: exactEntries[Key(creator: creator, rawTag: value)] = entry
            case 0xFFFF_00FF: blockEntries[Key(creator: creator, rawTag: value)] = entry
            default: maskedEntries[creator, default: []].append(MaskedEntry(mask: mask, value: value, entry: entry))
            }
            count += 1
        }
        self.exactEntries = exactEntries
        self.blockEntries = blockEntries
        self.maskedEntries = maskedEntries
        self.count = count
    }

    /// The entry of a private element, under the tag asked for.
    ///
    /// - Parameters:
    ///   - tag: the element's tag.
    ///   - creator: the value of the private creator element that reserved the tag's block, without padding.
    func entry(for tag: DICOMTag, creator: String) -> DictionaryEntry? {
        if let entry = exactEntries[Key(creator: creator, rawTag: tag.rawValue)] { return entry.with(tag: tag) }
        if tag.element >= 0x1000, let entry = blockEntries[Key(creator: creator, rawTag: tag.rawValue & 0xFFFF_00FF)] {
            return entry.with(tag: tag)
        }
        for masked in maskedEntries[creator] ?? [] where tag.rawValue & masked.mask == masked.value {
            return masked.entry.with(tag: tag)
        }
        return nil
    }
}
