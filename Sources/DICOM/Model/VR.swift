/// A value representation: how a data element's value is encoded (PS3.5 §6.2, Table 6.2-1).
public enum VR: String, Sendable, CaseIterable, Hashable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC,
        UI, UL, UN, UR, US, UT, UV

    /// Reads a VR from its two ASCII bytes, as written in explicit VR encodings.
    ///
    /// A switch over the 16-bit code: the parser calls this once per element, and a dictionary lookup there
    /// spent more time hashing than the rest of the header.
    ///
    /// - Returns: the VR, or `nil` when the bytes name none.
    @inlinable
    public init?(byte0: UInt8, byte1: UInt8) {
        switch UInt16(byte0) << 8 | UInt16(byte1) {
        case 0x4145: self = .AE
        case 0x4153: self = .AS
        case 0x4154: self = .AT
        case 0x4353: self = .CS
        case 0x4441: self = .DA
        case 0x4453: self = .DS
        case 0x4454: self = .DT
        case 0x4644: self = .FD
        case 0x464C: self = .FL
        case 0x4953: self = .IS
        case 0x4C4F: self = .LO
        case 0x4C54: self = .LT
        case 0x4F42: self = .OB
        case 0x4F44: self = .OD
        case 0x4F46: self = .OF
        case 0x4F4C: self = .OL
        case 0x4F56: self = .OV
        case 0x4F57: self = .OW
        case 0x504E: self = .PN
        case 0x5348: self = .SH
        case 0x534C: self = .SL
        case 0x5351: self = .SQ
        case 0x5353: self = .SS
        case 0x5354: self = .ST
        case 0x5356: self = .SV
        case 0x544D: self = .TM
        case 0x5543: self = .UC
        case 0x5549: self = .UI
        case 0x554C: self = .UL
        case 0x554E: self = .UN
        case 0x5552: self = .UR
        case 0x5553: self = .US
        case 0x5554: self = .UT
        case 0x5556: self = .UV
        default: return nil
        }
    }

    /// The VR's two ASCII bytes as one big-endian 16-bit code ("OB" is 0x4F42).
    @inlinable
    public var code: UInt16 {
        switch self {
        case .AE: 0x4145
        case .AS: 0x4153
        case .AT: 0x4154
        case .CS: 0x4353
        case .DA: 0x4441
        case .DS: 0x4453
        case .DT: 0x4454
        case .FD: 0x4644
        case .FL: 0x464C
        case .IS: 0x4953
        case .LO: 0x4C4F
        case .LT: 0x4C54
        case .OB: 0x4F42
        case .OD: 0x4F44
        case .OF: 0x4F46
        case .OL: 0x4F4C
        case .OV: 0x4F56
        case .OW: 0x4F57
        case .PN: 0x504E
        case .SH: 0x5348
        case .SL: 0x534C
        case .SQ: 0x5351
        case .SS: 0x5353
        case .ST: 0x5354
        case .SV: 0x5356
        case .TM: 0x544D
        case .UC: 0x5543
        case .UI: 0x5549
        case .UL: 0x554C
        case .UN: 0x554E
        case .UR: 0x5552
        case .US: 0x5553
        case .UT: 0x5554
        case .UV: 0x5556
        }
    }

    /// The two ASCII bytes of the VR's code.
    @inlinable
    public var bytes: (UInt8, UInt8) { (UInt8(truncatingIfNeeded: code >> 8), UInt8(truncatingIfNeeded: code)) }

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
