import DICOM
import NIOCore
import Testing

@Suite struct DataSetDICOMJSONTests {
    private func json(_ dataSet: DataSet, options: DICOMJSONOptions = .init()) -> String {
        String(decoding: dataSet.dicomJSON(options: options), as: UTF8.self)
    }

    private func bytes(_ values: [UInt8]) -> DataElement.Value { .bytes(ByteBuffer(bytes: values)) }

    @Test func writesStringsInTagOrderWithNullForEmptyValues() {
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0020, 0x000D), vr: .UI, strings: ["1.2.3"]),
            DataElement(tag: DICOMTag(0x0008, 0x0008), vr: .CS, strings: ["ORIGINAL", "", "AXIAL"]),
            DataElement(tag: DICOMTag(0x0008, 0x0050), vr: .SH, strings: []),
            DataElement(tag: DICOMTag(0x0008, 0x2111), vr: .ST, strings: ["a\\b \"quoted\""]),
        ])
        #expect(
            json(dataSet)
                == #"{"00080008":{"vr":"CS","Value":["ORIGINAL",null,"AXIAL"]},"00080050":{"vr":"SH"},"#
                + #""00082111":{"vr":"ST","Value":["a\\b \"quoted\""]},"0020000D":{"vr":"UI","Value":["1.2.3"]}}"#)
    }

    @Test func writesPersonNamesAsComponentGroups() {
        let utf8 = SpecificCharacterSet(["ISO_IR 192"])
        let dataSet = DataSet(
            [
                DataElement(tag: .specificCharacterSet, vr: .CS, strings: ["ISO_IR 192"]),
                DataElement(
                    tag: DICOMTag(0x0010, 0x0010), vr: .PN,
                    strings: ["Yamada^Tarou=山田^太郎=やまだ^たろう", "", "=Ideo", "Smith^John"], characterSet: utf8),
            ], characterSet: utf8)
        #expect(
            json(dataSet)
                == #"{"00080005":{"vr":"CS","Value":["ISO_IR 192"]},"#
                + #""00100010":{"vr":"PN","Value":[{"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","#
                + #""Phonetic":"やまだ^たろう"},null,{"Ideographic":"Ideo"},{"Alphabetic":"Smith^John"}]}}"#)
    }

    @Test func writesDecimalAndIntegerStringsAsNumbers() {
        let dataSet = DataSet([
            DataElement(
                tag: DICOMTag(0x0018, 0x0050), vr: .DS, strings: ["5.000000", " +1.5", ".5", "1.", "-2E3", "", "abc"]),
            DataElement(tag: DICOMTag(0x0020, 0x0013), vr: .IS, strings: ["007", "+12", "-3", " 4 "]),
        ])
        #expect(
            json(dataSet)
                == #"{"00180050":{"vr":"DS","Value":[5.000000,1.5,0.5,1,-2E3,null,"abc"]},"#
                + #""00200013":{"vr":"IS","Value":[7,12,-3,4]}}"#)
    }

    @Test func writesBinaryNumbersAndTags() {
        var sl = ByteBuffer()
        sl.writeInteger(Int32(-5), endianness: .little)
        var at = ByteBuffer()
        for number: UInt16 in [0x0028, 0x0009, 0x3004, 0x000C] { at.writeInteger(number, endianness: .little) }
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0028, 0x0010), uint16s: [512, 8]),
            DataElement(tag: DICOMTag(0x0028, 0x0011), vr: .SL, value: .bytes(sl)),
            DataElement(tag: DICOMTag(0x0018, 0x9087), float64s: [0.1, -3]),
            DataElement(tag: DICOMTag(0x0018, 0x9089), float32s: [0.5]),
            DataElement(tag: DICOMTag(0x0028, 0x0009), vr: .AT, value: .bytes(at)),
            DataElement(tag: DICOMTag(0x0028, 0x0012), vr: .US, value: bytes([])),
        ])
        #expect(
            json(dataSet)
                == #"{"00189087":{"vr":"FD","Value":[0.1,-3]},"00189089":{"vr":"FL","Value":[0.5]},"#
                + #""00280009":{"vr":"AT","Value":["00280009","3004000C"]},"00280010":{"vr":"US","Value":[512,8]},"#
                + #""00280011":{"vr":"SL","Value":[-5]},"00280012":{"vr":"US"}}"#)
    }

    @Test func writesBinaryValuesAsLittleEndianBase64() {
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0009, 0x1001), vr: .OB, value: bytes([1, 2, 3])),
            DataElement(tag: .pixelData, vr: .OW, value: bytes([0x12, 0x34, 0x56, 0x78]), isBigEndian: true),
        ])
        #expect(
            json(dataSet)
                == #"{"00091001":{"vr":"OB","InlineBinary":"AQID"},"7FE00010":{"vr":"OW","InlineBinary":"NBJ4Vg=="}}"#)
    }

    @Test func writesEncapsulatedPixelDataAsItsItemStream() {
        let fragments = [ByteBuffer(), ByteBuffer(bytes: [0xFF, 0xD8])]
        let dataSet = DataSet([DataElement(tag: .pixelData, vr: .OB, value: .fragments(fragments))])
        // FE FF 00 E0 00 00 00 00, FE FF 00 E0 02 00 00 00 FF D8
        #expect(json(dataSet) == #"{"7FE00010":{"vr":"OB","InlineBinary":"/v8A4AAAAAD+/wDgAgAAAP/Y"}}"#)
    }

    @Test func writesBulkDataURIsAboveTheThreshold() {
        let item = DataSet([DataElement(tag: DICOMTag(0x0042, 0x0011), vr: .OB, value: bytes([1, 2, 3, 4]))])
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0040, 0xA730), items: [item]),
            DataElement(tag: .pixelData, vr: .OB, value: bytes([1, 2])),
        ])
        let options = DICOMJSONOptions(bulkDataThreshold: 4) { path, _ in
            "bulk/" + path.map(\.compactHex).joined(separator: "/")
        }
        #expect(
            json(dataSet, options: options)
                == #"{"0040A730":{"vr":"SQ","Value":[{"#
                + #""00420011":{"vr":"OB","BulkDataURI":"bulk/0040A730/00420011"}}]},"#
                + #""7FE00010":{"vr":"OB","InlineBinary":"AQI="}}"#)
    }

    @Test func writesSequencesAsNestedObjects() {
        let item = DataSet([DataElement(tag: DICOMTag(0x0008, 0x0100), vr: .SH, strings: ["113040"])])
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0008, 0x9215), items: [item, DataSet()]),
            DataElement(tag: DICOMTag(0x0008, 0x1140), items: []),
        ])
        #expect(
            json(dataSet)
                == #"{"00081140":{"vr":"SQ"},"#
                + #""00089215":{"vr":"SQ","Value":[{"00080100":{"vr":"SH","Value":["113040"]}},{}]}}"#
        )
    }

    @Test func leavesGroupLengthsOutUnlessAsked() {
        let dataSet = DataSet([DataElement(tag: DICOMTag(0x0008, 0x0000), vr: .UL, uint32s: [10])])
        #expect(json(dataSet) == "{}")
        #expect(
            json(dataSet, options: DICOMJSONOptions(includeGroupLengths: true))
                == #"{"00080000":{"vr":"UL","Value":[10]}}"#)
    }

    @Test func writesIntoAByteBuffer() {
        let dataSet = DataSet([DataElement(tag: DICOMTag(0x0008, 0x0060), vr: .CS, strings: ["CT"])])
        var buffer = ByteBuffer(string: "x")
        dataSet.writeDICOMJSON(into: &buffer)
        #expect(String(buffer: buffer) == #"x{"00080060":{"vr":"CS","Value":["CT"]}}"#)
    }
}
