import Testing

@testable import DICOM

@Suite struct SingleByteSetTests {
    /// How many of the bytes 0x80–0xFF each set defines, per ISO/IEC 8859, TIS 620 and JIS X 0201.
    @Test(arguments: [
        (SingleByteSet.latin1, 128), (.latin2, 128), (.latin3, 121), (.latin4, 128), (.cyrillic, 128),
        (.arabic, 83), (.greek, 125), (.hebrew, 92), (.latin5, 128), (.latin9, 128), (.thai, 119), (.katakana, 63),
    ])
    func definesTheUpperHalfAndEncodesItBack(set: SingleByteSet, defined: Int) {
        var count = 0
        for byte in UInt8(0x80)...UInt8(0xFF) {
            guard let scalar = set.decode(byte) else { continue }
            count += 1
            #expect(set.encode(scalar) == byte)
        }
        #expect(count == defined)
        #expect(set.decode(0x41) == "A")
        #expect(set.encode("A") == nil)
    }

    @Test func mapsKnownCodePoints() {
        #expect(SingleByteSet.latin2.decode(0xF8) == "ř")
        #expect(SingleByteSet.cyrillic.decode(0xBB) == "Л")
        #expect(SingleByteSet.latin9.decode(0xA4) == "€")
        #expect(SingleByteSet.katakana.decode(0xA1) == "｡")
        #expect(SingleByteSet.katakana.decode(0xDF) == "ﾟ")
        #expect(SingleByteSet.katakana.decode(0xE0) == nil)
        #expect(SingleByteSet.latin3.decode(0xA5) == nil)
    }
}
