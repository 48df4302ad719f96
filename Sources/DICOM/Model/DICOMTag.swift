/// A data element tag: a group and an element number (PS3.5 §7.1).
///
/// Tags order by group, then element, which is the order data elements appear in an encoded data set.
public struct DICOMTag: Hashable, Comparable, Sendable {
    /// The tag as one 32-bit number, group in the high half.
    public let rawValue: UInt32

    /// Creates a tag from its group and element numbers.
    @inlinable
    public init(_ group: UInt16, _ element: UInt16) {
        self.rawValue = UInt32(group) << 16 | UInt32(element)
    }

    /// Creates a tag from its 32-bit form, group in the high half.
    @inlinable
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The group number.
    @inlinable
    public var group: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 16) }

    /// The element number.
    @inlinable
    public var element: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// True for tags of an odd group above 0x0008: private data elements (PS3.5 §7.8).
    @inlinable
    public var isPrivate: Bool { group & 1 == 1 && group > 0x0008 }

    /// True for a private creator element, (gggg,0010)–(gggg,00FF) of a private group (PS3.5 §7.8.1).
    @inlinable
    public var isPrivateCreator: Bool { isPrivate && element >= 0x0010 && element <= 0x00FF }

    /// The private creator element that reserves this private tag's block, if it is a private data element.
    ///
    /// The block of (gggg,xxyy) is reserved by (gggg,00xx) (PS3.5 §7.8.1).
    @inlinable
    public var privateCreatorTag: DICOMTag? {
        guard isPrivate, element >= 0x1000 else { return nil }
        return DICOMTag(group, element >> 8)
    }

    /// True for group-length elements (gggg,0000).
    @inlinable
    public var isGroupLength: Bool { element == 0x0000 }

    /// True for the item, item delimitation and sequence delimitation tags of group FFFE (PS3.5 §7.5).
    @inlinable
    public var isDelimiter: Bool { group == 0xFFFE }

    @inlinable
    public static func < (lhs: DICOMTag, rhs: DICOMTag) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension DICOMTag: CustomStringConvertible {
    /// The tag as `(gggg,eeee)` in upper-case hexadecimal, as DICOM tools print it.
    public var description: String { "(\(hex4(group)),\(hex4(element)))" }

    /// The tag as `ggggeeee` in upper-case hexadecimal, the form DICOM JSON uses for keys (PS3.18 §F.2.1.1).
    public var compactHex: String { hex4(group) + hex4(element) }

    /// The tag as `gggg,eeee` in lower-case hexadecimal, the form of Orthanc's JSON keys.
    public var orthancKey: String {
        String(unsafeUninitializedCapacity: 9) { buffer in
            writeHex4(group, uppercase: false, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: ",")
            writeHex4(element, uppercase: false, into: buffer, at: 5)
            return 9
        }
    }

    /// Parses `ggggeeee`, `gggg,eeee`, `(gggg,eeee)` or `gggg-eeee`, in either case.
    ///
    /// - Returns: the tag, or `nil` when the text is not one of those forms.
    public init?(hex text: some StringProtocol) {
        var digits: [UInt8] = []
        digits.reserveCapacity(8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "-"): continue
            default: digits.append(byte)
            }
        }
        guard digits.count == 8 else { return nil }
        var value: UInt32 = 0
        for digit in digits {
            guard let nibble = hexNibble(digit) else { return nil }
            value = value << 4 | UInt32(nibble)
        }
        self.init(rawValue: value)
    }
}

@usableFromInline
func hexNibble(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}

func hex4(_ value: UInt16, uppercase: Bool = true) -> String {
    String(unsafeUninitializedCapacity: 4) { buffer in
        writeHex4(value, uppercase: uppercase, into: buffer, at: 0)
        return 4
    }
}

/// Writes the four hexadecimal digits of `value` at `offset`, without allocating.
func writeHex4(_ value: UInt16, uppercase: Bool, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
    let letterBase = uppercase ? UInt8(ascii: "A") - 10 : UInt8(ascii: "a") - 10
    for position in 0..<4 {
        let nibble = UInt8(truncatingIfNeeded: value >> (12 - 4 * position)) & 0xF
        buffer[offset + position] = nibble < 10 ? UInt8(ascii: "0") + nibble : letterBase + nibble
    }
}

extension DICOMTag {
    // Tags the parser and writer need by name; the full dictionary lives in `Dictionary/`.

    /// File Meta Information Group Length (0002,0000).
    public static let fileMetaInformationGroupLength = DICOMTag(0x0002, 0x0000)
    /// File Meta Information Version (0002,0001).
    public static let fileMetaInformationVersion = DICOMTag(0x0002, 0x0001)
    /// Media Storage SOP Class UID (0002,0002).
    public static let mediaStorageSOPClassUID = DICOMTag(0x0002, 0x0002)
    /// Media Storage SOP Instance UID (0002,0003).
    public static let mediaStorageSOPInstanceUID = DICOMTag(0x0002, 0x0003)
    /// Transfer Syntax UID (0002,0010).
    public static let transferSyntaxUID = DICOMTag(0x0002, 0x0010)
    /// Implementation Class UID (0002,0012).
    public static let implementationClassUID = DICOMTag(0x0002, 0x0012)
    /// Implementation Version Name (0002,0013).
    public static let implementationVersionName = DICOMTag(0x0002, 0x0013)
    /// Specific Character Set (0008,0005).
    public static let specificCharacterSet = DICOMTag(0x0008, 0x0005)
    /// SOP Class UID (0008,0016).
    public static let sopClassUID = DICOMTag(0x0008, 0x0016)
    /// SOP Instance UID (0008,0018).
    public static let sopInstanceUID = DICOMTag(0x0008, 0x0018)
    /// Patient ID (0010,0020).
    public static let patientID = DICOMTag(0x0010, 0x0020)
    /// Study Instance UID (0020,000D).
    public static let studyInstanceUID = DICOMTag(0x0020, 0x000D)
    /// Series Instance UID (0020,000E).
    public static let seriesInstanceUID = DICOMTag(0x0020, 0x000E)
    /// Pixel Data (7FE0,0010).
    public static let pixelData = DICOMTag(0x7FE0, 0x0010)
    /// Float Pixel Data (7FE0,0008).
    public static let floatPixelData = DICOMTag(0x7FE0, 0x0008)
    /// Double Float Pixel Data (7FE0,0009).
    public static let doubleFloatPixelData = DICOMTag(0x7FE0, 0x0009)
    /// Item (FFFE,E000).
    public static let item = DICOMTag(0xFFFE, 0xE000)
    /// Item Delimitation Item (FFFE,E00D).
    public static let itemDelimitationItem = DICOMTag(0xFFFE, 0xE00D)
    /// Sequence Delimitation Item (FFFE,E0DD).
    public static let sequenceDelimitationItem = DICOMTag(0xFFFE, 0xE0DD)
}
