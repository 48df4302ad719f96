/// Decodes a value written with ISO 2022 code extensions (PS3.5 §6.1.2.5, PS3.3 §C.12.1.1.2).
///
/// G0 covers bytes 0x21–0x7E and G1 bytes 0xA0–0xFF. Both start as the first term designates them, change at
/// each escape sequence, and return to that initial state at every delimiter of PS3.5 §6.1.2.5.3.
struct ISO2022Decoder {
    let initialG0: CodeElement
    let initialG1: CodeElement?
    let vr: VR

    init(terms: [CharacterSetTerm], vr: VR) {
        // A multi-byte first term cannot hold delimiters, so G0 starts as ASCII in that case.
        let g0 = terms.first?.g0
        self.initialG0 = g0 == .jisRoman ? .jisRoman : .ascii
        self.initialG1 = terms.first?.g1
        self.vr = vr
    }

    func decode(_ bytes: [UInt8]) -> String {
        var output = String.UnicodeScalarView()
        var g0 = initialG0
        var g1 = initialG1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1B {
                // An escape sequence: ESC, intermediate bytes 0x20–0x2F, one final byte 0x30–0x7E.
                var end = index + 1
                while end < bytes.count, (0x20...0x2F).contains(bytes[end]) { end += 1 }
                guard end < bytes.count, (0x30...0x7E).contains(bytes[end]) else {
                    output.append("\u{FFFD}")
                    index = end
                    continue
                }
                if let element = CodeElement(escapeSequence: bytes[(index + 1)...end]) {
                    if element.isG0 { g0 = element } else { g1 = element }
                } else {
                    output.append("\u{FFFD}")
                }
                index = end + 1
            } else if byte < 0x21 || byte == 0x7F {
                // Space and control characters are the same in every state; CR, LF, FF and TAB reset it.
                output.append(Unicode.Scalar(byte))
                if ISO2022Decoder.isLineBreakOrTab(byte) {
                    g0 = initialG0
                    g1 = initialG1
                }
                index += 1
            } else if byte < 0x80 {
                if let set = g0.multiByteSet {
                    var end = index
                    while end < bytes.count, (0x21...0x7E).contains(bytes[end]) { end += 1 }
                    ISO2022Decoder.appendMultiByte(bytes[index..<end], set: set, to: &output)
                    index = end
                } else {
                    output.append(Unicode.Scalar(byte))
                    if resetsCodeState(byte) {
                        g0 = initialG0
                        g1 = initialG1
                    }
                    index += 1
                }
            } else {
                switch g1 {
                case .some(let element) where element.multiByteSet != nil:
                    var end = index
                    while end < bytes.count, (0xA1...0xFE).contains(bytes[end]) { end += 1 }
                    if end == index {
                        output.append("\u{FFFD}")
                        index += 1
                    } else {
                        ISO2022Decoder.appendMultiByte(
                            bytes[index..<end], set: element.multiByteSet ?? .gb2312, to: &output)
                        index = end
                    }
                case .upperHalf(let set):
                    output.append(set.decode(byte) ?? "\u{FFFD}")
                    index += 1
                default:
                    // No G1 set is designated: read the byte as Latin-1, as the default repertoire does.
                    output.append(Unicode.Scalar(byte))
                    index += 1
                }
            }
        }
        return String(output)
    }

    /// True for the delimiters after which the code state returns to its initial value (PS3.5 §6.1.2.5.3):
    /// the value delimiter `\` (except in single-valued text), and for PN the component group delimiter `=`
    /// and component delimiter `^`.
    func resetsCodeState(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"): !vr.isSingleValuedText
        case UInt8(ascii: "="), UInt8(ascii: "^"): vr == .PN
        default: ISO2022Decoder.isLineBreakOrTab(byte)
        }
    }

    /// CR, LF, FF and TAB, which reset the code state in text (PS3.5 §6.1.2.5.3).
    static func isLineBreakOrTab(_ byte: UInt8) -> Bool {
        byte == 0x0D || byte == 0x0A || byte == 0x0C || byte == 0x09
    }

    /// Decodes a run of two-byte characters, pair by pair when the run as a whole does not decode.
    private static func appendMultiByte(
        _ run: ArraySlice<UInt8>, set: MultiByteSet, to output: inout String.UnicodeScalarView
    ) {
        if run.count.isMultiple(of: 2), let text = SpecificCharacterSet.decodeMultiByte(Array(run), set: set) {
            output.append(contentsOf: text.unicodeScalars)
            return
        }
        var index = run.startIndex
        while index < run.endIndex {
            let pair = run[index..<min(index + 2, run.endIndex)]
            if pair.count == 2, let text = SpecificCharacterSet.decodeMultiByte(Array(pair), set: set) {
                output.append(contentsOf: text.unicodeScalars)
            } else {
                output.append("\u{FFFD}")
            }
            index += 2
        }
    }
}
