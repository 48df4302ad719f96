/// One data element of the data dictionary: its tag, names, value representations and multiplicity (PS3.6 §6).
///
/// Entries come from the registry of data elements of PS3.6 (Tables 6-1, 7-1 and 8-1), the command dictionary
/// of PS3.7 Annex E, and a dictionary of private data elements published by vendors.
public struct DictionaryEntry: Sendable, Hashable {
    /// The element's tag.
    ///
    /// For an element of a repeating group, such as (60xx,3000) Overlay Data, this is the first tag of the range
    /// that is not a group length nor an element of its own, (6000,3000). For a private element it is the tag
    /// that was looked up, whatever block its creator reserved.
    public let tag: DICOMTag
    /// The keyword, such as `PatientName` (PS3.6 §6); empty for the few retired elements PS3.6 leaves without one
    /// and for private elements, which have none.
    public let keyword: String
    /// The name, such as `Patient's Name`.
    public let name: String
    /// The value representations the element may have, in PS3.6 order: `US or SS` is `[.US, .SS]`, `OB or OW` is
    /// `[.OB, .OW]`.
    ///
    /// Empty for the item and delimitation elements of group FFFE, which have no VR (PS3.5 §7.5).
    public let vrs: [VR]
    /// The value multiplicity, as PS3.6 writes it: `1`, `1-n`, `2-2n`, `1-3`, ….
    public let multiplicity: String
    /// True when PS3.6 lists the element as retired.
    public let isRetired: Bool

    /// The first VR PS3.6 lists, or `UN` for the items and delimiters of group FFFE.
    ///
    /// ``DataDictionary/implicitVR(for:privateCreator:)`` refines it for implicit VR decoding.
    public var vr: VR { vrs.first ?? .UN }

    init(tag: DICOMTag, keyword: String, name: String, vrs: [VR], multiplicity: String, isRetired: Bool) {
        self.tag = tag
        self.keyword = keyword
        self.name = name
        self.vrs = vrs
        self.multiplicity = multiplicity
        self.isRetired = isRetired
    }

    /// The same entry under another tag: a private element found through its block-independent pattern.
    func with(tag: DICOMTag) -> DictionaryEntry {
        DictionaryEntry(
            tag: tag, keyword: keyword, name: name, vrs: vrs, multiplicity: multiplicity, isRetired: isRetired
        )
    }
}
