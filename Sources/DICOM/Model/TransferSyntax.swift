/// A transfer syntax: how a data set is encoded (PS3.5 §10, Annex A).
///
/// Only the properties the parser and writer need are modelled: VR explicitness, byte order, deflate and
/// encapsulation. Any UID not listed as native is taken as an encapsulated (compressed pixel data) syntax
/// in Explicit VR Little Endian, which is how PS3.5 Annex A.4 encodes every such syntax.
public struct TransferSyntax: Hashable, Sendable {
    /// The transfer syntax UID.
    public let uid: String
    /// True when each element carries its VR (PS3.5 §7.1.2); false for Implicit VR (§7.1.3).
    public let isExplicitVR: Bool
    /// True for little-endian byte order (PS3.5 §7.3).
    public let isLittleEndian: Bool
    /// True when the data set after the file meta information is deflated (PS3.5 Annex A.5).
    public let isDeflated: Bool
    /// True when Pixel Data is encapsulated in fragments (PS3.5 Annex A.4).
    public let isEncapsulated: Bool

    /// Implicit VR Little Endian, the default transfer syntax (PS3.5 Annex A.1).
    public static let implicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2", explicitVR: false, littleEndian: true, deflated: false, encapsulated: false)
    /// Explicit VR Little Endian (PS3.5 Annex A.2).
    public static let explicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1", explicitVR: true, littleEndian: true, deflated: false, encapsulated: false)
    /// Deflated Explicit VR Little Endian (PS3.5 Annex A.5).
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1.99", explicitVR: true, littleEndian: true, deflated: true, encapsulated: false)
    /// Explicit VR Big Endian, retired but still found in files (PS3.5 Annex A.3).
    public static let explicitVRBigEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.2", explicitVR: true, littleEndian: false, deflated: false, encapsulated: false)

    /// The four syntaxes whose pixel data is native: the ones Atrium can write and transcode between.
    public static let uncompressed: [TransferSyntax] = [
        .implicitVRLittleEndian, .explicitVRLittleEndian, .deflatedExplicitVRLittleEndian, .explicitVRBigEndian,
    ]

    private init(uid: String, explicitVR: Bool, littleEndian: Bool, deflated: Bool, encapsulated: Bool) {
        self.uid = uid
        self.isExplicitVR = explicitVR
        self.isLittleEndian = littleEndian
        self.isDeflated = deflated
        self.isEncapsulated = encapsulated
    }

    /// The transfer syntax of a UID; trailing NUL or space padding is ignored.
    ///
    /// Native syntaxes map to their definitions; JPIP Referenced Deflate (1.2.840.10008.1.2.4.95) is deflated
    /// and native; every other UID is encapsulated Explicit VR Little Endian.
    public init(uid rawUID: String) {
        var trimmed = Substring(rawUID)
        while let last = trimmed.last, last == "\0" || last == " " { trimmed.removeLast() }
        let uid = String(trimmed)
        switch uid {
        case TransferSyntax.implicitVRLittleEndian.uid: self = .implicitVRLittleEndian
        case TransferSyntax.explicitVRLittleEndian.uid: self = .explicitVRLittleEndian
        case TransferSyntax.deflatedExplicitVRLittleEndian.uid: self = .deflatedExplicitVRLittleEndian
        case TransferSyntax.explicitVRBigEndian.uid: self = .explicitVRBigEndian
        case "1.2.840.10008.1.2.4.95":
            self.init(uid: uid, explicitVR: true, littleEndian: true, deflated: true, encapsulated: false)
        case "1.2.840.10008.1.2.4.94":
            self.init(uid: uid, explicitVR: true, littleEndian: true, deflated: false, encapsulated: false)
        default:
            self.init(uid: uid, explicitVR: true, littleEndian: true, deflated: false, encapsulated: true)
        }
    }
}

extension TransferSyntax: CustomStringConvertible {
    public var description: String { uid }
}
