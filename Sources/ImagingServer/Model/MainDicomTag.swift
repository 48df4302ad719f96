/// A tag that the index keeps for a level ("main DICOM tags", Orthanc Book `faq/main-dicom-tags`).
package struct MainDicomTag: Sendable, Hashable {
    /// The tag as `(group << 16) | element`.
    package let tag: UInt32
    /// The keyword of PS3.6 (the JSON key of `MainDicomTags`).
    package let keyword: String
    /// Whether the value is a person name (PN).
    package let isPersonName: Bool
    /// Whether the value is a date (DA), a time (TM) or a date-time (DT): range matching applies.
    package let isDateOrTime: Bool
    /// Whether a normalized copy goes to the identifier table used by `/tools/lookup` and exact finds.
    package let isIdentifier: Bool

    init(
        _ group: UInt16, _ element: UInt16, _ keyword: String, pn: Bool = false, date: Bool = false,
        identifier: Bool = false
    ) {
        self.tag = UInt32(group) << 16 | UInt32(element)
        self.keyword = keyword
        self.isPersonName = pn
        self.isDateOrTime = date
        self.isIdentifier = identifier
    }

    package var group: UInt16 { UInt16(truncatingIfNeeded: tag >> 16) }
    package var element: UInt16 { UInt16(truncatingIfNeeded: tag) }

    /// The tag as Orthanc writes it in `?short` answers and accepts in queries: `0010,0010`.
    package var hexKey: String {
        func hex4(_ value: UInt16) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        return hex4(group) + "," + hex4(element)
    }

    // MARK: - The default sets of Orthanc 1.12.5 and later

    package static let patientTags: [MainDicomTag] = [
        MainDicomTag(0x0010, 0x0010, "PatientName", pn: true, identifier: true),
        MainDicomTag(0x0010, 0x0020, "PatientID", identifier: true),
        MainDicomTag(0x0010, 0x0030, "PatientBirthDate", date: true, identifier: true),
        MainDicomTag(0x0010, 0x0040, "PatientSex"),
        MainDicomTag(0x0010, 0x1000, "OtherPatientIDs"),
    ]

    package static let studyTags: [MainDicomTag] = [
        MainDicomTag(0x0008, 0x0020, "StudyDate", date: true, identifier: true),
        MainDicomTag(0x0008, 0x0030, "StudyTime", date: true),
        MainDicomTag(0x0020, 0x0010, "StudyID"),
        MainDicomTag(0x0008, 0x1030, "StudyDescription", identifier: true),
        MainDicomTag(0x0008, 0x0050, "AccessionNumber", identifier: true),
        MainDicomTag(0x0020, 0x000D, "StudyInstanceUID", identifier: true),
        MainDicomTag(0x0032, 0x1060, "RequestedProcedureDescription"),
        MainDicomTag(0x0008, 0x0080, "InstitutionName"),
        MainDicomTag(0x0032, 0x1032, "RequestingPhysician", pn: true),
        MainDicomTag(0x0008, 0x0090, "ReferringPhysicianName", pn: true),
        MainDicomTag(0x0008, 0x0201, "TimezoneOffsetFromUTC"),
    ]

    package static let seriesTags: [MainDicomTag] = [
        MainDicomTag(0x0008, 0x0021, "SeriesDate", date: true),
        MainDicomTag(0x0008, 0x0031, "SeriesTime", date: true),
        MainDicomTag(0x0008, 0x0060, "Modality"),
        MainDicomTag(0x0008, 0x0070, "Manufacturer"),
        MainDicomTag(0x0008, 0x1010, "StationName"),
        MainDicomTag(0x0008, 0x103E, "SeriesDescription"),
        MainDicomTag(0x0018, 0x0015, "BodyPartExamined"),
        MainDicomTag(0x0018, 0x0024, "SequenceName"),
        MainDicomTag(0x0018, 0x1030, "ProtocolName"),
        MainDicomTag(0x0020, 0x0011, "SeriesNumber"),
        MainDicomTag(0x0018, 0x1090, "CardiacNumberOfImages"),
        MainDicomTag(0x0020, 0x1002, "ImagesInAcquisition"),
        MainDicomTag(0x0020, 0x0105, "NumberOfTemporalPositions"),
        MainDicomTag(0x0054, 0x0081, "NumberOfSlices"),
        MainDicomTag(0x0054, 0x0101, "NumberOfTimeSlices"),
        MainDicomTag(0x0020, 0x000E, "SeriesInstanceUID", identifier: true),
        MainDicomTag(0x0020, 0x0037, "ImageOrientationPatient"),
        MainDicomTag(0x0054, 0x1000, "SeriesType"),
        MainDicomTag(0x0008, 0x1070, "OperatorsName", pn: true),
        MainDicomTag(0x0040, 0x0254, "PerformedProcedureStepDescription"),
        MainDicomTag(0x0018, 0x1400, "AcquisitionDeviceProcessingDescription"),
        MainDicomTag(0x0018, 0x0010, "ContrastBolusAgent"),
        MainDicomTag(0x0008, 0x0201, "TimezoneOffsetFromUTC"),
        MainDicomTag(0x0040, 0x0244, "PerformedProcedureStepStartDate", date: true),
        MainDicomTag(0x0040, 0x0245, "PerformedProcedureStepStartTime", date: true),
    ]

    package static let instanceTags: [MainDicomTag] = [
        MainDicomTag(0x0008, 0x0012, "InstanceCreationDate", date: true),
        MainDicomTag(0x0008, 0x0013, "InstanceCreationTime", date: true),
        MainDicomTag(0x0020, 0x0012, "AcquisitionNumber"),
        MainDicomTag(0x0054, 0x1330, "ImageIndex"),
        MainDicomTag(0x0020, 0x0013, "InstanceNumber"),
        MainDicomTag(0x0028, 0x0008, "NumberOfFrames"),
        MainDicomTag(0x0020, 0x0100, "TemporalPositionIdentifier"),
        MainDicomTag(0x0008, 0x0018, "SOPInstanceUID", identifier: true),
        MainDicomTag(0x0020, 0x0032, "ImagePositionPatient"),
        MainDicomTag(0x0020, 0x4000, "ImageComments"),
        MainDicomTag(0x0020, 0x0037, "ImageOrientationPatient"),
    ]

    /// The tags kept at `level`. A study also keeps copies of its patient's tags.
    package static func tags(of level: ResourceLevel) -> [MainDicomTag] {
        switch level {
        case .patient: patientTags
        case .study: studyTags
        case .series: seriesTags
        case .instance: instanceTags
        }
    }

    /// The signature of the main tags of a level, as `/system` shows it and the `MainDicomTagsSignature`
    /// metadata records: the tags as `gggg,eeee` in lowercase hexadecimal, in ascending order, separated by `;`.
    package static func signature(of level: ResourceLevel) -> String {
        tags(of: level).sorted { $0.tag < $1.tag }.map(\.hexKey).joined(separator: ";")
    }

    /// The tags stored in the index rows of `level`: the study row also holds the patient tags.
    package static func storedTags(of level: ResourceLevel) -> [MainDicomTag] {
        level == .study ? studyTags + patientTags : tags(of: level)
    }

    /// Every main tag with its level, for looking up query keys.
    package static let byKeyword: [String: (MainDicomTag, ResourceLevel)] = {
        var table: [String: (MainDicomTag, ResourceLevel)] = [:]
        for level in ResourceLevel.allCases.reversed() {
            for tag in tags(of: level) { table[tag.keyword] = (tag, level) }
        }
        return table
    }()

    /// Every main tag with its level, by tag number.
    package static let byTag: [UInt32: (MainDicomTag, ResourceLevel)] = {
        var table: [UInt32: (MainDicomTag, ResourceLevel)] = [:]
        for level in ResourceLevel.allCases.reversed() {
            for tag in tags(of: level) { table[tag.tag] = (tag, level) }
        }
        return table
    }()

    /// The main tag named by `key`: a keyword (`PatientName`) or hexadecimal (`0010,0010`, `00100010`).
    package static func named(_ key: String) -> (MainDicomTag, ResourceLevel)? {
        if let found = byKeyword[key] { return found }
        let digits = key.filter { $0 != "," && $0 != "-" && $0 != "(" && $0 != ")" }
        guard digits.count == 8, let number = UInt32(digits, radix: 16) else { return nil }
        return byTag[number]
    }
}
