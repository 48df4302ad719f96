// TEMPORARY, never committed.
public struct SpecificCharacterSet: Sendable, Hashable {
    public init(_ values: [String]) {}
    public static let `default` = SpecificCharacterSet([])
    public func decode(_ bytes: some Collection<UInt8>, vr: VR) -> String { String(decoding: Array(bytes), as: UTF8.self) }
    public func encode(_ string: String, vr: VR) -> [UInt8] { Array(string.utf8) }
}
public struct DictionaryEntry: Sendable, Hashable {
    public let tag: DICOMTag; public let keyword: String; public let name: String; public let vrs: [VR]
    public var vr: VR { vrs[0] }; public let multiplicity: String; public let isRetired: Bool
}
public enum DataDictionary {
    static let known: [DICOMTag: DictionaryEntry] = [
        DICOMTag(0x0010,0x0010): .init(tag: DICOMTag(0x0010,0x0010), keyword: "PatientName", name: "Patient's Name", vrs: [.PN], multiplicity: "1", isRetired: false),
        DICOMTag(0x0008,0x0005): .init(tag: DICOMTag(0x0008,0x0005), keyword: "SpecificCharacterSet", name: "Specific Character Set", vrs: [.CS], multiplicity: "1-n", isRetired: false),
        DICOMTag(0x7FE0,0x0010): .init(tag: DICOMTag(0x7FE0,0x0010), keyword: "PixelData", name: "Pixel Data", vrs: [.OB, .OW], multiplicity: "1", isRetired: false),
    ]
    public static func entry(for tag: DICOMTag) -> DictionaryEntry? { known[tag] }
    public static func implicitVR(for tag: DICOMTag, privateCreator: String?) -> VR { known[tag]?.vr ?? .UN }
}
public struct UIDEntry: Sendable, Hashable { public let uid, name, type: String }
public enum UIDDictionary { public static func entry(for uid: String) -> UIDEntry? { nil } }
