/// The DICOM data dictionary: names, keywords, VRs and multiplicities of data elements (PS3.6 §6).
///
/// It holds the standard elements of PS3.6 (Tables 6-1, 7-1 and 8-1), the command elements of group 0000
/// (PS3.7 Annex E), the elements of repeating groups such as (60xx,3000), and a dictionary of private elements
/// by private creator. Its tables are generated from a machine-readable PS3.6 and indexed on first use; a lookup
/// is a binary search, plus a scan of the few dozen repeating-group patterns when a tag has no entry of its own.
///
/// Besides the listed elements, ``entry(for:)`` knows two rules of PS3.5:
/// - a group length element (gggg,0000) other than those of groups 0000 and 0002 is `UL`, VM 1, retired
///   (PS3.5 §7.2), under the keyword `GenericGroupLength` and name `Generic Group Length`; that keyword names
///   no single tag, so ``tag(forKeyword:)`` does not know it;
/// - a private creator element (gggg,0010)–(gggg,00FF) of an odd group is `LO`, VM 1 (PS3.5 §7.8.1), under the
///   keyword `PrivateCreator` and name `Private Creator`, likewise unknown to ``tag(forKeyword:)``.
public enum DataDictionary {
    /// The entry of a standard, command or repeating-group element, a group length, or a private creator.
    ///
    /// Private data elements need their creator: see ``privateEntry(for:creator:)``.
    ///
    /// - Parameter tag: the element's tag.
    /// - Returns: the entry, or `nil` for a private data element or a tag PS3.6 does not list.
    public static func entry(for tag: DICOMTag) -> DictionaryEntry? {
        let table = StandardDictionaryTable.shared
        if let entry = table.exactEntry(for: tag) { return entry }
        if tag.isGroupLength {
            return DictionaryEntry(
                tag: tag, keyword: "GenericGroupLength", name: "Generic Group Length", vrs: [.UL],
                multiplicity: "1", isRetired: true
            )
        }
        if tag.isPrivateCreator {
            return DictionaryEntry(
                tag: tag, keyword: "PrivateCreator", name: "Private Creator", vrs: [.LO], multiplicity: "1",
                isRetired: false
            )
        }
        if tag.isPrivate { return nil }
        return table.repeatingEntry(for: tag)
    }

    /// The entry of a standard, command or repeating-group element by keyword, such as `PatientName`.
    ///
    /// An element of a repeating group is found under the first tag of its range: `OverlayData` is (6000,3000).
    ///
    /// - Parameter keyword: the keyword, as PS3.6 spells it (case matters).
    /// - Returns: the entry, or `nil` when no element has that keyword.
    public static func entry(forKeyword keyword: String) -> DictionaryEntry? {
        StandardKeywordIndex.shared[keyword]
    }

    /// The tag of a keyword, such as (0010,0010) for `PatientName`.
    ///
    /// - Parameter keyword: the keyword, as PS3.6 spells it (case matters).
    /// - Returns: the tag, the first of its range for a repeating group, or `nil` when no element has that
    ///   keyword.
    public static func tag(forKeyword keyword: String) -> DICOMTag? {
        entry(forKeyword: keyword)?.tag
    }

    /// The entry of a private data element, from the private dictionary (PS3.5 §7.8.1).
    ///
    /// Private elements are identified by their creator and the low byte of the element: (0029,1008) under the
    /// creator that reserved block 10 is the same element as (0029,2008) under the same creator in block 20.
    ///
    /// - Parameters:
    ///   - tag: the element's tag.
    ///   - creator: the value of the private creator element (gggg,00xx) that reserved the tag's block. Leading
    ///     and trailing spaces are not significant (LO, PS3.5 §6.2); case is.
    /// - Returns: the entry, under `tag`, or `nil` when the private dictionary does not list the element.
    public static func privateEntry(for tag: DICOMTag, creator: String) -> DictionaryEntry? {
        PrivateDictionaryTable.shared.entry(for: tag, creator: String(creator.trimmingSpaces))
    }

    /// The VR to decode an element with when the transfer syntax does not state it (implicit VR, PS3.5 §7.1.3).
    ///
    /// The rules, in order:
    /// - a private data element takes its VR from the private dictionary, when its creator is given and listed;
    /// - any other element takes the VR of ``entry(for:)``, which covers group lengths (`UL`) and private
    ///   creators (`LO`);
    /// - an element that may be `OB` or `OW` is `OW`: implicit VR Little Endian gives Pixel Data, Overlay Data
    ///   and Waveform Data the VR `OW` (PS3.5 §A.1);
    /// - an element with several other candidate VRs takes the first PS3.6 lists, such as `US` for `US or SS`;
    ///   telling them apart needs Pixel Representation (0028,0103), which the caller holds;
    /// - anything else, including items and delimiters, is `UN`.
    ///
    /// - Parameters:
    ///   - tag: the element's tag.
    ///   - privateCreator: the private creator of the tag's block, for a private data element.
    /// - Returns: the VR.
    public static func implicitVR(for tag: DICOMTag, privateCreator: String?) -> VR {
        if tag.isPrivate, !tag.isGroupLength, !tag.isPrivateCreator {
            guard let vrs = privateCreator.flatMap({ privateEntry(for: tag, creator: $0) })?.vrs, let first = vrs.first
            else { return .UN }
            return vrs.contains(.OB) && vrs.contains(.OW) ? .OW : first
        }
        guard let choices = standardVRChoices(for: tag), let first = choices.first else { return .UN }
        return choices.contains(.OB) && choices.contains(.OW) ? .OW : first
    }

    /// The VRs of a standard, command, group length, private creator or repeating-group element, as
    /// ``entry(for:)`` gives them, read without building the entry.
    static func standardVRChoices(for tag: DICOMTag) -> VRChoices? {
        let table = StandardDictionaryTable.shared
        if let choices = table.exactVRChoices(for: tag) { return choices }
        var choices = VRChoices()
        if tag.isGroupLength {
            choices.append(.UL)
            return choices
        }
        if tag.isPrivateCreator {
            choices.append(.LO)
            return choices
        }
        if tag.isPrivate { return nil }
        guard let entry = table.repeatingEntry(for: tag) else { return nil }
        for vr in entry.vrs { choices.append(vr) }
        return choices
    }
}
