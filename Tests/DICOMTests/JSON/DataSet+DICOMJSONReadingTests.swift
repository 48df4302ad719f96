import DICOM
import NIOCore
import Testing

@Suite struct DataSetDICOMJSONReadingTests {
    private func read(_ text: String) throws -> DataSet { try DataSet(dicomJSON: Array(text.utf8)) }

    @Test func readsValuesOfEveryKind() throws {
        let dataSet = try read(
            #"{"00080008":{"vr":"CS","Value":["ORIGINAL",null,"AXIAL"]},"#
                + #""00100010":{"vr":"PN","Value":[{"Alphabetic":"A^B","Phonetic":"p"}]},"#
                + #""00180050":{"vr":"DS","Value":[5.000000,"abc"]},"00280009":{"vr":"AT","Value":["0028000a"]},"#
                + #""00280010":{"vr":"US","Value":[512]},"00189087":{"vr":"FD","Value":[0.25]},"#
                + #""00091001":{"vr":"OB","InlineBinary":"AQID"},"#
                + #""0040A730":{"vr":"SQ","Value":[{"00080100":{"vr":"SH","Value":["x"]}}]},"#
                + #""00080050":{"vr":"SH"},"7FE00010":{"vr":"OB","InlineBinary":"/v8A4AAAAAD+/wDgAgAAAP/Y"}}"#)
        #expect(dataSet[DICOMTag(0x0008, 0x0008)]?.strings() == ["ORIGINAL", "", "AXIAL"])
        #expect(dataSet[DICOMTag(0x0010, 0x0010)]?.string() == "A^B==p")
        #expect(dataSet[DICOMTag(0x0018, 0x0050)]?.strings() == ["5.000000", "abc"])
        #expect(dataSet[DICOMTag(0x0028, 0x0009)]?.tags == [DICOMTag(0x0028, 0x000A)])
        #expect(dataSet[DICOMTag(0x0028, 0x0010)]?.uint16s == [512])
        #expect(dataSet[DICOMTag(0x0018, 0x9087)]?.float64s == [0.25])
        #expect(dataSet[DICOMTag(0x0009, 0x1001)]?.bytes.map { Array($0.readableBytesView) } == [1, 2, 3])
        #expect(dataSet[DICOMTag(0x0040, 0xA730)]?.items.first?[DICOMTag(0x0008, 0x0100)]?.string() == "x")
        #expect(dataSet[DICOMTag(0x0008, 0x0050)]?.valueLength == 0)
        #expect(dataSet[.pixelData]?.fragments?.map { Array($0.readableBytesView) } == [[], [0xFF, 0xD8]])
        #expect(dataSet.elements.map(\.tag) == dataSet.elements.map(\.tag).sorted())
    }

    @Test(arguments: [
        (#"[]"#, "a DICOM JSON data set must be an object"),
        (#"{"0008":{"vr":"CS"}}"#, "not a tag"),
        (#"{"00080008":{"vr":"XX"}}"#, "vr"),
        (#"{"00080008":{"vr":"CS","Value":"A"}}"#, "array"),
        (#"{"00280010":{"vr":"US","Value":[70000]}}"#, "US"),
        (#"{"00280010":{"vr":"US","Value":["1"]}}"#, "number"),
        (#"{"00100010":{"vr":"PN","Value":["A^B"]}}"#, "object"),
        (#"{"00280009":{"vr":"AT","Value":["0028,0009"]}}"#, "ggggeeee"),
        (#"{"00091001":{"vr":"OB","InlineBinary":"***"}}"#, "base64"),
    ])
    func rejectsValuesThatDoNotFitTheirVR(text: String, fragment: String) throws {
        let error = #expect(throws: DICOMError.self) { try read(text) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test func reportsTheOffsetOfMalformedJSON() throws {
        let error = #expect(throws: DICOMError.self) { try read(#"{"00080008":{"vr":"CS",}}"#) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.offset == 23)
    }

    @Test func readingItsOwnOutputGivesTheSameValues() throws {
        let item = DataSet([DataElement(tag: DICOMTag(0x0008, 0x0100), vr: .SH, strings: ["113040"])])
        let original = DataSet([
            DataElement(tag: DICOMTag(0x0008, 0x0008), vr: .CS, strings: ["A", "", "B"]),
            DataElement(tag: DICOMTag(0x0010, 0x0010), vr: .PN, strings: ["A^B=C=D", ""]),
            DataElement(tag: DICOMTag(0x0018, 0x0050), vr: .DS, strings: ["+1.5", "2"]),
            DataElement(tag: DICOMTag(0x0018, 0x9087), float64s: [0.1, .infinity]),
            DataElement(tag: DICOMTag(0x0040, 0xA730), items: [item]),
            DataElement(tag: .pixelData, vr: .OW, value: .bytes(ByteBuffer(bytes: [1, 2, 3, 4])), isBigEndian: true),
        ])
        let json = original.dicomJSON()
        let reread = try DataSet(dicomJSON: json)
        #expect(String(decoding: reread.dicomJSON(), as: UTF8.self) == String(decoding: json, as: UTF8.self))
    }
}
