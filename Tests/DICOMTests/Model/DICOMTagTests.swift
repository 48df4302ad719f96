import DICOM
import Testing

@Suite struct DICOMTagTests {
    @Test func ordersByGroupThenElement() {
        #expect(DICOMTag(0x0008, 0xFFFF) < DICOMTag(0x0010, 0x0000))
        #expect(DICOMTag(0x0010, 0x0010).description == "(0010,0010)")
        #expect(DICOMTag(0x7FE0, 0x0010).orthancKey == "7fe0,0010")
        #expect(DICOMTag(0x7FE0, 0x0010).compactHex == "7FE00010")
    }

    @Test(arguments: ["00100010", "0010,0010", "(0010,0010)", "0010-0010"])
    func parsesHexForms(text: String) {
        #expect(DICOMTag(hex: text) == DICOMTag(0x0010, 0x0010))
    }

    @Test(arguments: ["0010001", "00100010A", "0010,00G0", ""])
    func rejectsMalformedHex(text: String) {
        #expect(DICOMTag(hex: text) == nil)
    }

    @Test func privateTags() {
        #expect(DICOMTag(0x0009, 0x0010).isPrivateCreator)
        #expect(DICOMTag(0x0009, 0x1001).privateCreatorTag == DICOMTag(0x0009, 0x0010))
        #expect(!DICOMTag(0x0008, 0x0010).isPrivate)
        #expect(DICOMTag(0x0029, 0x10FF).privateCreatorTag == DICOMTag(0x0029, 0x0010))
    }
}
