/// A graphic character set that ISO 2022 code extensions designate to G0 or G1 (PS3.5 §6.1.2.5,
/// PS3.3 Tables C.12-3 and C.12-4).
enum CodeElement: Hashable, Sendable {
    /// ISO-IR 6, ASCII, in G0.
    case ascii
    /// ISO-IR 14, JIS X 0201 Romaji, in G0. Decoded as ASCII: real files use it for ASCII text, and its two
    /// differing code points (0x5C yen, 0x7E overline) would otherwise hide the value delimiter.
    case jisRoman
    /// The upper half of a single-byte set, in G1 (bytes 0xA0–0xFF).
    case upperHalf(SingleByteSet)
    /// ISO-IR 87, JIS X 0208 kanji, in G0 (byte pairs 0x21–0x7E).
    case jisX0208
    /// ISO-IR 159, JIS X 0212 supplementary kanji, in G0 (byte pairs 0x21–0x7E).
    case jisX0212
    /// ISO-IR 149, KS X 1001 Hangul and Hanja, in G1 (byte pairs 0xA1–0xFE).
    case ksX1001
    /// ISO-IR 58, GB 2312 simplified Chinese, in G1 (byte pairs 0xA1–0xFE).
    case gb2312

    /// True when the element is designated to G0 rather than G1.
    var isG0: Bool {
        switch self {
        case .ascii, .jisRoman, .jisX0208, .jisX0212: true
        case .upperHalf, .ksX1001, .gb2312: false
        }
    }

    /// The multi-byte set behind the element, if it has two bytes per character.
    var multiByteSet: MultiByteSet? {
        switch self {
        case .jisX0208: .jisX0208
        case .jisX0212: .jisX0212
        case .ksX1001: .ksX1001
        case .gb2312: .gb2312
        case .ascii, .jisRoman, .upperHalf: nil
        }
    }

    /// The escape sequence that designates the element, without the leading ESC (PS3.3 Tables C.12-3, C.12-4).
    var escapeSequence: [UInt8] {
        switch self {
        case .ascii: Array("(B".utf8)
        case .jisRoman: Array("(J".utf8)
        case .upperHalf(let set): set.escapeSequence
        case .jisX0208: Array("$B".utf8)
        case .jisX0212: Array("$(D".utf8)
        case .ksX1001: Array("$)C".utf8)
        case .gb2312: Array("$)A".utf8)
        }
    }

    /// The element that an escape sequence (without its ESC) designates, or `nil` for an unknown sequence.
    ///
    /// `ESC $ @` (JIS C 6226-1978) is read as JIS X 0208, its later edition, as real Japanese files mix them.
    init?(escapeSequence bytes: some Collection<UInt8>) {
        let all: [CodeElement] =
            [.ascii, .jisRoman, .jisX0208, .jisX0212, .ksX1001, .gb2312]
            + SingleByteSet.allCases.map { .upperHalf($0) }
        if let element = all.first(where: { $0.escapeSequence.elementsEqual(bytes) }) {
            self = element
        } else if bytes.elementsEqual("$@".utf8) {
            self = .jisX0208
        } else {
            return nil
        }
    }
}

/// A character set with two bytes per character, decoded and encoded through Foundation.
enum MultiByteSet: Hashable, Sendable {
    case jisX0208, jisX0212, ksX1001, gb2312, gb18030
}
