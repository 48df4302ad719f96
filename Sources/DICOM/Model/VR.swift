/// A value representation: how a data element's value is encoded (PS3.5 §6.2, Table 6.2-1).
public enum VR: String, Sendable, CaseIterable, Hashable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC,
        UI, UL, UN, UR, US, UT, UV

    /// Reads a VR from its two ASCII bytes, as written in explicit VR encodings.
    ///
    /// - Returns: the VR, or `nil` when the bytes name none.
    @inlinable
    public init?(byte0: UInt8, byte1: UInt8) {
        guard let vr = VR.table[Int(byte0) << 8 | Int(byte1)] else { return nil }
        self = vr
    }

    @usableFromInline
    static let table: [Int: VR] = {
        var table: [Int: VR] = [:]
        for vr in VR.allCases {
            let bytes = Array(vr.rawValue.utf8)
            table[Int(bytes[0]) << 8 | Int(bytes[1])] = vr
        }
        return table
    }()

    /// The two ASCII bytes of the VR's code.
    public var bytes: (UInt8, UInt8) {
        let utf8 = Array(rawValue.utf8)
        return (utf8[0], utf8[1])
    }

    /// True when explicit VR encodings give this VR two reserved bytes and a 32-bit length (PS3.5 §7.1.2).
    @inlinable
    public var hasLongExplicitLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: return true
        default: return false
        }
    }

    /// True for VRs whose value is character data.
    @inlinable
    public var isString: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: return true
        default: return false
        }
    }

    /// True for string VRs whose value is one text that may contain backslashes (PS3.5 §6.2: LT, ST, UT, UR).
    @inlinable
    public var isSingleValuedText: Bool {
        switch self {
        case .LT, .ST, .UT, .UR: return true
        default: return false
        }
    }

    /// True for string VRs decoded with the Specific Character Set rather than the default repertoire
    /// (PS3.5 §6.1.2.3: SH, LO, ST, LT, UC, UT, PN).
    @inlinable
    public var usesSpecificCharacterSet: Bool {
        switch self {
        case .SH, .LO, .ST, .LT, .UC, .UT, .PN: return true
        default: return false
        }
    }

    /// The size in bytes of one binary number of this VR, used to swap byte order; 1 when no swap applies.
    @inlinable
    public var byteSwapUnit: Int {
        switch self {
        case .US, .SS, .OW, .AT: return 2
        case .UL, .SL, .FL, .OF, .OL: return 4
        case .FD, .OD, .SV, .UV, .OV: return 8
        default: return 1
        }
    }

    /// The byte that pads a value to even length: NUL for UI and the byte VRs, a space for other strings
    /// (PS3.5 §6.2).
    @inlinable
    public var paddingByte: UInt8 {
        switch self {
        case .UI, .OB, .UN: return 0x00
        default: return isString ? 0x20 : 0x00
        }
    }
}

extension VR: CustomStringConvertible {
    public var description: String { rawValue }
}
