/// A single-byte character set whose lower half is ASCII (PS3.3 Table C.12-2), mapped through a table
/// generated from Python's `codecs` by `scripts/generate-single-byte-tables.py`.
enum SingleByteSet: Hashable, Sendable, CaseIterable {
    case latin1, latin2, latin3, latin4, cyrillic, arabic, greek, hebrew, latin5, latin9, thai, katakana

    /// The 128 UTF-16 code units of bytes 0x80–0xFF; 0xFFFD where the set defines no character.
    var upperHalf: [UInt16] {
        switch self {
        case .latin1: SingleByteTable.latin1
        case .latin2: SingleByteTable.latin2
        case .latin3: SingleByteTable.latin3
        case .latin4: SingleByteTable.latin4
        case .cyrillic: SingleByteTable.cyrillic
        case .arabic: SingleByteTable.arabic
        case .greek: SingleByteTable.greek
        case .hebrew: SingleByteTable.hebrew
        case .latin5: SingleByteTable.latin5
        case .latin9: SingleByteTable.latin9
        case .thai: SingleByteTable.thai
        case .katakana: SingleByteTable.katakana
        }
    }

    /// The ISO-IR registration number used in the defined terms `ISO_IR n` and `ISO 2022 IR n`.
    var registration: Int {
        switch self {
        case .latin1: 100
        case .latin2: 101
        case .latin3: 109
        case .latin4: 110
        case .cyrillic: 144
        case .arabic: 127
        case .greek: 126
        case .hebrew: 138
        case .latin5: 148
        case .latin9: 203
        case .thai: 166
        case .katakana: 13
        }
    }

    /// The escape sequence that designates the upper half to G1, without ESC (PS3.3 Table C.12-3).
    var escapeSequence: [UInt8] {
        let final: Character =
            switch self {
            case .latin1: "A"
            case .latin2: "B"
            case .latin3: "C"
            case .latin4: "D"
            case .cyrillic: "L"
            case .arabic: "G"
            case .greek: "F"
            case .hebrew: "H"
            case .latin5: "M"
            case .latin9: "b"
            case .thai: "T"
            case .katakana: "I"
            }
        // JIS X 0201 katakana is a 94-character set (`ESC ) I`); the ISO 8859 upper halves are 96-character
        // sets (`ESC - F`).
        return Array((self == .katakana ? ")" : "-").utf8) + Array(String(final).utf8)
    }

    /// The character for a byte of the upper half, or `nil` when the set leaves it undefined.
    func decode(_ byte: UInt8) -> Unicode.Scalar? {
        guard byte >= 0x80 else { return Unicode.Scalar(byte) }
        let unit = upperHalf[Int(byte) - 0x80]
        return unit == 0xFFFD ? nil : Unicode.Scalar(unit)
    }

    /// The byte for a character of the upper half, or `nil` when the set has no such character.
    func encode(_ scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.value > 0x7F, scalar.value < 0xFFFD else { return nil }
        guard let index = upperHalf.firstIndex(of: UInt16(scalar.value)) else { return nil }
        return UInt8(0x80 + index)
    }
}
