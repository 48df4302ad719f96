/// One unique identifier of the registry of DICOM unique identifiers (PS3.6 Annex A).
public struct UIDEntry: Sendable, Hashable {
    /// The UID, such as `1.2.840.10008.1.2.1`.
    public let uid: String
    /// The name, such as `Explicit VR Little Endian`.
    public let name: String
    /// The type, as PS3.6 Annex A writes it: `Transfer Syntax`, `SOP Class`, `Well-known SOP Instance`, ….
    public let type: String
    /// The keyword, such as `ExplicitVRLittleEndian`, or `nil` for the few retired UIDs PS3.6 gives none.
    public let keyword: String?
    /// True when PS3.6 lists the UID as retired.
    public let isRetired: Bool

    init(uid: String, name: String, type: String, keyword: String?, isRetired: Bool) {
        self.uid = uid
        self.name = name
        self.type = type
        self.keyword = keyword
        self.isRetired = isRetired
    }
}
