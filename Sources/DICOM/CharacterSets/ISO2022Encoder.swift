/// Encodes text with ISO 2022 code extensions (PS3.5 §6.1.2.5), the inverse of ``ISO2022Decoder``.
///
/// Each character goes into the first set that has it: ASCII, then the sets designated now, then those of the
/// terms in order. The encoder designates a set with its escape sequence when it switches, returns G0 to its
/// initial set before each delimiter and at the end, and treats G1 as reset at each delimiter, as the decoder
/// does, so a G1 set is designated again in each component (as PS3.5 Annex H and I examples do).
struct ISO2022Encoder {
    let decoder: ISO2022Decoder
    let elements: [CodeElement]

    init(terms: [CharacterSetTerm], vr: VR) {
        self.decoder = ISO2022Decoder(terms: terms, vr: vr)
        self.elements = terms.flatMap { [$0.g0, $0.g1].compactMap { $0 } }
    }

    func encode(_ string: String) -> [UInt8] {
        var output: [UInt8] = []
        var g0 = decoder.initialG0
        var g1 = decoder.initialG1
        func designate(_ element: CodeElement) {
            output.append(0x1B)
            output.append(contentsOf: element.escapeSequence)
            if element.isG0 { g0 = element } else { g1 = element }
        }
        for scalar in string.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                let isControl = byte < 0x21 || byte == 0x7F
                if (decoder.resetsCodeState(byte) || (!isControl && g0.multiByteSet != nil)), g0 != decoder.initialG0 {
                    designate(decoder.initialG0)
                }
                output.append(byte)
                if decoder.resetsCodeState(byte) {
                    g0 = decoder.initialG0
                    g1 = decoder.initialG1
                }
                continue
            }
            let candidates = [g1, g0].compactMap { $0 } + elements
            var written = false
            for element in candidates {
                guard let bytes = ISO2022Encoder.encode(scalar, in: element) else { continue }
                if element.isG0 ? g0 != element : g1 != element { designate(element) }
                output.append(contentsOf: bytes)
                written = true
                break
            }
            if !written {
                if g0.multiByteSet != nil { designate(decoder.initialG0) }
                output.append(UInt8(ascii: "?"))
            }
        }
        if g0 != decoder.initialG0 { designate(decoder.initialG0) }
        return output
    }

    /// The bytes of one non-ASCII character in a code element, as they appear in G0 or G1.
    private static func encode(_ scalar: Unicode.Scalar, in element: CodeElement) -> [UInt8]? {
        switch element {
        case .ascii, .jisRoman: return nil
        case .upperHalf(let set): return set.encode(scalar).map { [$0] }
        case .jisX0208, .jisX0212, .ksX1001, .gb2312:
            guard let set = element.multiByteSet,
                let bytes = SpecificCharacterSet.encodeMultiByte(scalar, set: set), bytes.count == 2
            else { return nil }
            let range: ClosedRange<UInt8> = element.isG0 ? 0x21...0x7E : 0xA1...0xFE
            return bytes.allSatisfy { range.contains($0) } ? bytes : nil
        }
    }
}
