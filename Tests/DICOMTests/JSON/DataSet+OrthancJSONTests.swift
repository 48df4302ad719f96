import Foundation
import JSON
import NIOCore
import Testing

@testable import DICOM

/// Atrium's renderings compared with the answers of a real Orthanc (1.10.1, Debian 12) to
/// `/instances/{id}/tags`, `?simplify` and `?short` for sample files, kept in `Fixtures/orthanc/`.
///
/// Comparison is of parsed JSON, key order included (Orthanc sorts object members by key). Two differences are
/// removed before comparing, by named rules: ``withoutPrivateNames(_:droppingKeys:)`` (`vendorPrivateNames`)
/// and ``withoutRetiredPrefix(_:)`` (`retiredNames`).
@Suite struct DataSetOrthancJSONTests {
    /// The sample files whose Orthanc answers are kept, by name in pydicom's test data.
    static let goldenFiles = [
        "CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "rtplan.dcm", "liver_1frame.dcm",
        "rtdose_expb_1frame.dcm", "ExplVR_BigEnd.dcm", "JPEG2000.dcm", "chrH31.dcm", "chrRuss.dcm", "chrX1.dcm",
    ]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/orthanc")

    private func render(_ dataSet: DataSet, _ format: OrthancJSONFormat, limit: Int? = 256) throws -> JSONValue {
        try DICOM.JSONParser.parse(dataSet.orthancJSON(format: format, maximumStringLength: limit))
    }

    private func golden(_ name: String, _ form: String) throws -> JSONValue {
        let base = name.replacingOccurrences(of: ".dcm", with: "")
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("\(base).\(form).json"))
        return try DICOM.JSONParser.parse(Array(data))
    }

    /// Rule `vendorPrivateNames`: Orthanc names private data elements from DCMTK's vendor dictionaries, which
    /// Atrium does not have; the `Name` of a private data element (one with `PrivateCreator`) is not compared,
    /// and in the simplified form, where names are keys, the keys either side derives from those names are
    /// dropped.
    static func withoutPrivateNames(_ value: JSONValue, droppingKeys dropped: Set<String> = []) -> JSONValue {
        switch value {
        case .object(let members):
            let isPrivateElement = members.contains { $0.key == "PrivateCreator" }
            return .object(
                members.compactMap { member in
                    if dropped.contains(member.key) { return nil }
                    if isPrivateElement, member.key == "Name" { return nil }
                    if member.key == "Name", case .string(let name) = member.value {
                        return (member.key, .string(withoutRetiredPrefix(name)))
                    }
                    return (withoutRetiredPrefix(member.key), withoutPrivateNames(member.value, droppingKeys: dropped))
                })
        case .array(let elements): return .array(elements.map { withoutPrivateNames($0, droppingKeys: dropped) })
        default: return value
        }
    }

    /// Rule `retiredNames`: Orthanc, like Atrium, puts `RETIRED_` before the names of retired elements, but
    /// which elements are retired depends on the edition of PS3.6 behind the dictionary (Orthanc 1.10's is
    /// older: it does not retire Other Patient IDs); names are compared without that prefix.
    static func withoutRetiredPrefix(_ name: String) -> String {
        name.hasPrefix("RETIRED_") ? String(name.dropFirst("RETIRED_".count)) : name
    }

    /// The value with every object's members sorted by key bytes.
    static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(
                members.map { ($0.key, sorted($0.value)) }
                    .sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) })
        case .array(let elements): return .array(elements.map(sorted))
        default: return value
        }
    }

    /// The names Orthanc gives to private data elements anywhere in a full rendering.
    static func privateNames(in full: JSONValue) -> Set<String> {
        var names: Set<String> = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if value["PrivateCreator"] != nil, case .string(let name)? = value["Name"] { names.insert(name) }
                for member in members { walk(member.value) }
            case .array(let elements): elements.forEach(walk)
            default: break
            }
        }
        walk(full)
        return names.union([OrthancJSONRenderer.unknownName])
    }

    private func sample(_ name: String) throws -> DataSet? {
        guard let corpus = SampleCorpus.shared,
            let entry = corpus.entries.first(where: { $0.name == name && $0.path.contains("pydicom/data/") })
        else { return nil }
        return try DICOMFile(reading: try SampleCorpus.bytes(of: entry)).dataSet
    }

    @Test(.enabled(if: SampleCorpus.isAvailable, "needs pydicom's sample files"), arguments: goldenFiles)
    func fullFormMatchesOrthanc(name: String) throws {
        let dataSet = try #require(try sample(name))
        let expected = Self.withoutPrivateNames(try golden(name, "tags"))
        let actual = Self.withoutPrivateNames(try render(dataSet, .full))
        #expect(actual == expected, "\(name)")
    }

    @Test(.enabled(if: SampleCorpus.isAvailable, "needs pydicom's sample files"), arguments: goldenFiles)
    func shortFormMatchesOrthanc(name: String) throws {
        let dataSet = try #require(try sample(name))
        #expect(try render(dataSet, .short) == golden(name, "short"), "\(name)")
    }

    @Test(.enabled(if: SampleCorpus.isAvailable, "needs pydicom's sample files"), arguments: goldenFiles)
    func simplifiedFormMatchesOrthanc(name: String) throws {
        let dataSet = try #require(try sample(name))
        let dropped = Self.privateNames(in: try golden(name, "tags")).union(
            Self.privateNames(in: try render(dataSet, .full)))
        // Keys renamed by `retiredNames` are sorted again; the order of Atrium's own keys is tested below.
        let expected = Self.sorted(Self.withoutPrivateNames(try golden(name, "simplify"), droppingKeys: dropped))
        let actual = Self.sorted(Self.withoutPrivateNames(try render(dataSet, .simplified), droppingKeys: dropped))
        #expect(actual == expected, "\(name)")
    }

    @Test func namesPrivateTagsByTheirDictionaryNameInOneWord() {
        #expect(OrthancJSONRenderer.camelCase("Number of images in series") == "NumberOfImagesInSeries")
        #expect(OrthancJSONRenderer.camelCase("[Private] CT-2D mode, x") == "PrivateCT2DModeX")
        #expect(OrthancJSONRenderer.camelCase("Größe") == "GrE")
        #expect(OrthancJSONRenderer.camelCase("--") == "Unknown Tag & Data")
    }

    @Test func rendersTypesAsOrthancDoes() throws {
        let item = DataSet([DataElement(tag: DICOMTag(0x0008, 0x0100), vr: .SH, strings: ["113040"])])
        var fl = ByteBuffer()
        fl.writeInteger(Float(-77.20406341552734).bitPattern, endianness: .little)
        var at = ByteBuffer()
        for number: UInt16 in [0x3004, 0x000C] { at.writeInteger(number, endianness: .little) }
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0008, 0x0008), vr: .CS, strings: ["ORIGINAL", "PRIMARY"]),
            DataElement(tag: DICOMTag(0x0008, 0x9215), items: [item]),
            DataElement(tag: DICOMTag(0x0009, 0x0010), vr: .LO, strings: ["ACME"]),
            DataElement(tag: DICOMTag(0x0009, 0x1001), vr: .SS, value: .bytes(ByteBuffer(bytes: [0xFE, 0xFF, 2, 0]))),
            DataElement(tag: DICOMTag(0x0020, 0x4000), vr: .LT, strings: [String(repeating: "x", count: 300)]),
            DataElement(tag: DICOMTag(0x0027, 0x1041), vr: .FL, value: .bytes(fl)),
            DataElement(tag: DICOMTag(0x0028, 0x0009), vr: .AT, value: .bytes(at)),
            DataElement(tag: DICOMTag(0x0043, 0x1028), vr: .OB, value: .bytes(ByteBuffer(bytes: [1, 2]))),
            DataElement(tag: .pixelData, vr: .OW, value: .bytes(ByteBuffer(bytes: [1, 2]))),
            DataElement(tag: DICOMTag(0xFFFC, 0xFFFC), vr: .OB, value: .bytes(ByteBuffer(bytes: [0, 0]))),
        ])
        let full = String(decoding: dataSet.orthancJSON(format: .full), as: UTF8.self)
        let unknown = OrthancJSONRenderer.unknownName
        let name = { (tag: DICOMTag) in DataDictionary.entry(for: tag)?.keyword ?? unknown }
        let expected =
            #"{"0008,0008":{"Name":"\#(name(DICOMTag(0x0008, 0x0008)))","Type":"String","Value":"ORIGINAL\\PRIMARY"},"#
            + #""0008,9215":{"Name":"\#(name(DICOMTag(0x0008, 0x9215)))","Type":"Sequence","Value":[{"#
            + #""0008,0100":{"Name":"\#(name(DICOMTag(0x0008, 0x0100)))","Type":"String","Value":"113040"}}]},"#
            + #""0009,0010":{"Name":"PrivateCreator","Type":"String","Value":"ACME"},"#
            + #""0009,1001":{"Name":"\#(unknown)","PrivateCreator":"ACME","Type":"String","Value":"-2\\2"},"#
            + #""0020,4000":{"Name":"\#(name(DICOMTag(0x0020, 0x4000)))","Type":"TooLong","Value":null},"#
            + #""0027,1041":{"Name":"\#(name(DICOMTag(0x0027, 0x1041)))","Type":"String","#
            + #""Value":"-77.204063415527344"},"#
            + #""0028,0009":{"Name":"\#(name(DICOMTag(0x0028, 0x0009)))","Type":"String","Value":"3004,000c"},"#
            + #""0043,1028":{"Name":"\#(name(DICOMTag(0x0043, 0x1028)))","Type":"Null","Value":null},"#
            + #""7fe0,0010":{"Name":"PixelData","Type":"Null","Value":null}}"#
        #expect(full == expected)

        let noLimit = try render(dataSet, .short, limit: nil)
        #expect(noLimit["0020,4000"] == .string(String(repeating: "x", count: 300)))
        let short = String(decoding: dataSet.orthancJSON(format: .short), as: UTF8.self)
        #expect(
            short
                == #"{"0008,0008":"ORIGINAL\\PRIMARY","0008,9215":[{"0008,0100":"113040"}],"0009,0010":"ACME","#
                + #""0009,1001":"-2\\2","0020,4000":null,"0027,1041":"-77.204063415527344","0028,0009":"3004,000c","#
                + #""0043,1028":null,"7fe0,0010":null}"#)
    }

    @Test func simplifiedFormSortsNamesAndKeepsTheLastOfEqualNames() throws {
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0010, 0x0010), vr: .PN, strings: ["Doe^Jane"]),
            DataElement(tag: DICOMTag(0x0009, 0x0010), vr: .LO, strings: ["ACME"]),
            DataElement(tag: DICOMTag(0x0011, 0x0010), vr: .LO, strings: ["OTHER"]),
        ])
        let simplified = try render(dataSet, .simplified)
        guard case .object(let members) = simplified else { Issue.record("not an object"); return }
        let keys = members.map(\.key)
        #expect(keys == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(simplified["PrivateCreator"] == .string("OTHER"))
        #expect(simplified["PatientName"] == .string("Doe^Jane"))
    }

    @Test func namesTheMetaGroupLengthAsOrthancsHeaderDoes() throws {
        var meta = DataSet()
        meta.set(DataElement(tag: DICOMTag(0x0002, 0x0000), uint32s: [10]))
        meta.set(DataElement(tag: .transferSyntaxUID, vr: .UI, strings: ["1.2.840.10008.1.2.1"]))
        var dataSet = DataSet()
        dataSet.set(DataElement(tag: DICOMTag(0x0008, 0x0000), uint32s: [8]))
        let header = String(decoding: meta.orthancJSON(format: .short), as: UTF8.self)
        #expect(header == #"{"0002,0000":"10","0002,0010":"1.2.840.10008.1.2.1"}"#)
        let full = String(decoding: meta.orthancJSON(format: .full), as: UTF8.self)
        #expect(full.contains(#""Name":"FileMetaInformationGroupLength""#))
        let other = String(decoding: dataSet.orthancJSON(format: .full), as: UTF8.self)
        #expect(other.contains(#""Name":"GenericGroupLength""#))
    }

    @Test func formatsFloatsWithSeventeenDigits() {
        #expect(OrthancJSONRenderer.format17g(862399761.11107898) == "862399761.11107898")
        #expect(OrthancJSONRenderer.format17g(0) == "0")
        #expect(OrthancJSONRenderer.format17g(-1) == "-1")
        #expect(OrthancJSONRenderer.format17g(Double(Float(9.6999998092651367))) == "9.6999998092651367")
    }
}
