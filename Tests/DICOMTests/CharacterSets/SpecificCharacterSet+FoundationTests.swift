import Testing

@testable import DICOM

/// The platform's string encodings that the multi-byte sets rely on; a failure here means the platform's
/// Foundation lost an encoding, not that the ISO 2022 logic broke.
@Suite struct SpecificCharacterSetFoundationTests {
    @Test(
        arguments: [
            (MultiByteSet.jisX0208, [0x3B, 0x33, 0x45, 0x44], "山田"),
            (.jisX0212, [0x30, 0x21], "丂"),
            (.ksX1001, [0xC8, 0xAB, 0xB1, 0xE6, 0xB5, 0xBF], "홍길동"),
            (.gb2312, [0xD5, 0xC5], "张"),
            (.gb18030, [0xCD, 0xF5, 0x96, 0x7C, 0x81, 0x30, 0x81, 0x30], "王東\u{80}"),
        ] as [(MultiByteSet, [UInt8], String)])
    func decodesAndEncodesThroughFoundation(set: MultiByteSet, bytes: [UInt8], text: String) {
        #expect(SpecificCharacterSet.decodeMultiByte(bytes, set: set) == text)
        #expect(text.unicodeScalars.flatMap { SpecificCharacterSet.encodeMultiByte($0, set: set) ?? [] } == bytes)
    }

    @Test func rejectsCharactersOutsideTheSet() {
        #expect(SpecificCharacterSet.encodeMultiByte("丂", set: .jisX0208) == nil)
        #expect(SpecificCharacterSet.encodeMultiByte("山", set: .jisX0212) == nil)
        #expect(SpecificCharacterSet.encodeMultiByte("é", set: .ksX1001) == nil)
    }

    @Test func decodesGB18030CharacterByCharacterAroundBadBytes() {
        // 0x80 is no GB18030 lead byte; 0x81 0x30 starts a four-byte character that is cut short, so the lead
        // is replaced and 0x30 read again as the digit it is.
        #expect(SpecificCharacterSet.decodeGB18030([0x41, 0xCD, 0xF5, 0x80, 0x81, 0x30]) == "A王\u{FFFD}\u{FFFD}0")
    }
}
