import Testing

@testable import DICOM

@Suite struct DataDictionaryTests {
    /// A known tag and the entry PS3.6 gives it.
    struct Known: Sendable, CustomTestStringConvertible {
        let tag: DICOMTag
        let entry: DictionaryEntry
        let implicitVR: VR

        var testDescription: String { "\(tag) \(entry.keyword)" }

        init(
            _ tag: DICOMTag, _ keyword: String, _ name: String, _ vrs: [VR], _ multiplicity: String,
            retired: Bool = false, entryTag: DICOMTag? = nil, implicitVR: VR? = nil
        ) {
            self.tag = tag
            self.entry = DictionaryEntry(
                tag: entryTag ?? tag, keyword: keyword, name: name, vrs: vrs, multiplicity: multiplicity,
                isRetired: retired
            )
            self.implicitVR = implicitVR ?? vrs.first ?? .UN
        }
    }

    static let known: [Known] = [
        Known(DICOMTag(0x0010, 0x0010), "PatientName", "Patient's Name", [.PN], "1"),
        Known(DICOMTag(0x0008, 0x0005), "SpecificCharacterSet", "Specific Character Set", [.CS], "1-n"),
        Known(DICOMTag(0x7FE0, 0x0010), "PixelData", "Pixel Data", [.OB, .OW], "1", implicitVR: .OW),
        Known(DICOMTag(0x0028, 0x0106), "SmallestImagePixelValue", "Smallest Image Pixel Value", [.US, .SS], "1"),
        Known(DICOMTag(0x0028, 0x3006), "LUTData", "LUT Data", [.US, .OW], "1-n"),
        Known(DICOMTag(0x5400, 0x1010), "WaveformData", "Waveform Data", [.OB, .OW], "1", implicitVR: .OW),
        Known(DICOMTag(0x0008, 0x0010), "RecognitionCode", "Recognition Code", [.SH], "1", retired: true),
        Known(DICOMTag(0x0008, 0x0202), "", "Retired-blank", [.OB], "1", retired: true),
        Known(DICOMTag(0x0000, 0x0000), "CommandGroupLength", "Command Group Length", [.UL], "1"),
        Known(DICOMTag(0x0000, 0x0100), "CommandField", "Command Field", [.US], "1"),
        Known(DICOMTag(0x0000, 0x0800), "CommandDataSetType", "Command Data Set Type", [.US], "1"),
        Known(
            DICOMTag(0x0002, 0x0000), "FileMetaInformationGroupLength", "File Meta Information Group Length", [.UL],
            "1"
        ),
        Known(DICOMTag(0xFFFE, 0xE000), "Item", "Item", [], "1"),
        // Repeating groups, found under the first tag of their range.
        Known(
            DICOMTag(0x6002, 0x3000), "OverlayData", "Overlay Data", [.OB, .OW], "1",
            entryTag: DICOMTag(0x6000, 0x3000), implicitVR: .OW
        ),
        Known(
            DICOMTag(0x501E, 0x0005), "CurveDimensions", "Curve Dimensions", [.US], "1", retired: true,
            entryTag: DICOMTag(0x5000, 0x0005)
        ),
        Known(
            DICOMTag(0x7F02, 0x0010), "VariablePixelData", "Variable Pixel Data", [.OB, .OW], "1", retired: true,
            entryTag: DICOMTag(0x7F00, 0x0010), implicitVR: .OW
        ),
        Known(
            DICOMTag(0x1000, 0x1230), "EscapeTriplet", "Escape Triplet", [.US], "3", retired: true,
            entryTag: DICOMTag(0x1000, 0x0010)
        ),
        Known(
            DICOMTag(0x0028, 0x0430), "RowsForNthOrderCoefficients", "Rows For Nth Order Coefficients", [.US], "1",
            retired: true, entryTag: DICOMTag(0x0028, 0x0410)
        ),
        Known(
            DICOMTag(0x0020, 0x31FF), "SourceImageIDs", "Source Image IDs", [.CS], "1-n", retired: true,
            entryTag: DICOMTag(0x0020, 0x3100)
        ),
        // An element of its own inside a repeating range keeps its own entry.
        Known(DICOMTag(0x0028, 0x0400), "TransformLabel", "Transform Label", [.LO], "1", retired: true),
        // Group lengths and private creators, by rule.
        Known(DICOMTag(0x0008, 0x0000), "GenericGroupLength", "Generic Group Length", [.UL], "1", retired: true),
        Known(DICOMTag(0x1000, 0x0000), "GenericGroupLength", "Generic Group Length", [.UL], "1", retired: true),
        Known(DICOMTag(0x0029, 0x0000), "GenericGroupLength", "Generic Group Length", [.UL], "1", retired: true),
        Known(DICOMTag(0x0029, 0x0010), "PrivateCreator", "Private Creator", [.LO], "1"),
        Known(DICOMTag(0x0009, 0x00FF), "PrivateCreator", "Private Creator", [.LO], "1"),
    ]

    @Test(arguments: known)
    func knownEntries(known: Known) {
        #expect(DataDictionary.entry(for: known.tag) == known.entry)
        #expect(DataDictionary.implicitVR(for: known.tag, privateCreator: nil) == known.implicitVR)
    }

    @Test func vrIsTheFirstListedOrUN() throws {
        #expect(try #require(DataDictionary.entry(for: .pixelData)).vr == .OB)
        #expect(try #require(DataDictionary.entry(for: DICOMTag(0x0028, 0x0106))).vr == .US)
        #expect(try #require(DataDictionary.entry(for: .sequenceDelimitationItem)).vr == .UN)
    }

    @Test(arguments: [
        DICOMTag(0x0010, 0x0011), DICOMTag(0x0009, 0x0001), DICOMTag(0x0029, 0x1010), DICOMTag(0x6001, 0x3000),
        DICOMTag(0x0003, 0x0010), DICOMTag(0xFFFF, 0xFFFF),
    ])
    func unknownTags(tag: DICOMTag) {
        #expect(DataDictionary.entry(for: tag) == nil)
        #expect(DataDictionary.implicitVR(for: tag, privateCreator: nil) == .UN)
    }

    @Test func keywords() {
        #expect(DataDictionary.tag(forKeyword: "PatientName") == DICOMTag(0x0010, 0x0010))
        #expect(DataDictionary.tag(forKeyword: "CommandField") == DICOMTag(0x0000, 0x0100))
        #expect(DataDictionary.tag(forKeyword: "OverlayData") == DICOMTag(0x6000, 0x3000))
        #expect(DataDictionary.entry(forKeyword: "PixelData")?.name == "Pixel Data")
        #expect(DataDictionary.tag(forKeyword: "patientName") == nil)
        #expect(DataDictionary.tag(forKeyword: "") == nil)
        #expect(DataDictionary.tag(forKeyword: "GenericGroupLength") == nil)
        #expect(DataDictionary.tag(forKeyword: "PrivateCreator") == nil)
    }

    @Test func everyKeywordRoundTrips() throws {
        let table = StandardDictionaryTable.shared
        #expect(table.count == 5091)
        #expect(table.repeatingEntries.count == 88)
        let entries = table.entries + table.repeatingEntries.map(\.entry)
        var checked = 0
        for entry in entries where !entry.keyword.isEmpty {
            let tag = try #require(DataDictionary.tag(forKeyword: entry.keyword), "\(entry.keyword)")
            #expect(tag == entry.tag, "\(entry.keyword)")
            #expect(DataDictionary.entry(for: tag) == entry, "\(entry.keyword)")
            checked += 1
        }
        #expect(checked == 5091 + 88 - 6)
        #expect(StandardKeywordIndex.shared.count == checked)
    }

    @Test func everyRepeatingEntryMatchesItsOwnFirstTag() {
        for repeating in StandardDictionaryTable.shared.repeatingEntries {
            #expect(repeating.matches(repeating.entry.tag), "\(repeating.entry.keyword)")
        }
    }

    @Test func privateEntries() {
        let csaImageHeaderInfo = DictionaryEntry(
            tag: DICOMTag(0x0029, 0x1010), keyword: "", name: "CSA Image Header Info", vrs: [.OB], multiplicity: "1",
            isRetired: false
        )
        // The element is the same whichever block the creator reserved.
        #expect(
            DataDictionary.privateEntry(for: DICOMTag(0x0029, 0x1010), creator: "SIEMENS CSA HEADER")
                == csaImageHeaderInfo)
        #expect(
            DataDictionary.privateEntry(for: DICOMTag(0x0029, 0x2010), creator: "SIEMENS CSA HEADER")
                == csaImageHeaderInfo.with(tag: DICOMTag(0x0029, 0x2010))
        )
        // LO padding is not significant; case is.
        #expect(
            DataDictionary.privateEntry(for: DICOMTag(0x0029, 0x1010), creator: " SIEMENS CSA HEADER ")
                == csaImageHeaderInfo)
        #expect(DataDictionary.privateEntry(for: DICOMTag(0x0029, 0x1010), creator: "siemens csa header") == nil)
        #expect(DataDictionary.privateEntry(for: DICOMTag(0x0029, 0x1011), creator: "SIEMENS CSA HEADER") == nil)
        #expect(DataDictionary.privateEntry(for: DICOMTag(0x0029, 0x1010), creator: "") == nil)
        // An element published under its full tag wins over the block pattern of the same creator.
        #expect(DataDictionary.privateEntry(for: DICOMTag(0x00E1, 0x1021), creator: "ELSCINT1")?.name == "DLP")
        #expect(DataDictionary.privateEntry(for: DICOMTag(0x00E1, 0x2021), creator: "ELSCINT1")?.name == "Unknown")
        // Patterns with other `x` digits, such as (60xx,xx10).
        #expect(
            DataDictionary.privateEntry(for: DICOMTag(0x6001, 0x1210), creator: "PAPYRUS 3.0")
                == DictionaryEntry(
                    tag: DICOMTag(0x6001, 0x1210), keyword: "", name: "Overlay Rows", vrs: [.US], multiplicity: "1",
                    isRetired: false
                )
        )
        #expect(DataDictionary.privateEntry(for: DICOMTag(0x0029, 0x0001), creator: "CANON_MEC_MR3")?.vrs == [.SQ])
        #expect(PrivateDictionaryTable.shared.count == 10545)
    }

    @Test func implicitVRsOfPrivateElements() {
        #expect(DataDictionary.implicitVR(for: DICOMTag(0x0029, 0x1010), privateCreator: "SIEMENS CSA HEADER") == .OB)
        #expect(DataDictionary.implicitVR(for: DICOMTag(0x0029, 0x1008), privateCreator: "SIEMENS CSA HEADER") == .CS)
        #expect(DataDictionary.implicitVR(for: DICOMTag(0x0029, 0x1010), privateCreator: nil) == .UN)
        #expect(DataDictionary.implicitVR(for: DICOMTag(0x0029, 0x1010), privateCreator: "ACME 1.0") == .UN)
        #expect(DataDictionary.implicitVR(for: DICOMTag(0x0029, 0x0010), privateCreator: "SIEMENS CSA HEADER") == .LO)
        #expect(DataDictionary.implicitVR(for: DICOMTag(0x0029, 0x0000), privateCreator: "SIEMENS CSA HEADER") == .UL)
        // A standard element ignores the creator.
        #expect(DataDictionary.implicitVR(for: DICOMTag(0x0010, 0x0010), privateCreator: "SIEMENS CSA HEADER") == .PN)
    }

    @Test func bytesOrderAsUnsignedWithTheShorterFirst() {
        #expect(DictionaryLines.order(Array("ABC".utf8), Array("ABC".utf8)) == 0)
        #expect(DictionaryLines.order(Array("AB".utf8), Array("ABC".utf8)) < 0)
        #expect(DictionaryLines.order(Array("ABC".utf8), Array("AB".utf8)) > 0)
        #expect(DictionaryLines.order(Array("ABD".utf8), Array("ABC".utf8)) > 0)
        #expect(DictionaryLines.order([0x7F], [0x80]) < 0)
        #expect(DictionaryLines.order([UInt8](), [UInt8]()) == 0)
    }
}
