import DICOM

/// The keys a query of each level may send when `Normalize` is true (the default of `POST /modalities/{id}/query`):
/// the attributes of the patient, study, series and instance modules that Orthanc 1.10.1 keeps, observed by
/// sending it every non-retired string attribute of groups 0008, 0010, 0018, 0020, 0028, 0032, 0038 and 0040 at each
/// level. The computed counts belong to their own level only (`NumberOfStudyRelatedInstances` at study level).
enum QueryNormalization {
    /// Whether `tag` stays in a normalized query of `level`.
    static func keeps(_ tag: DICOMTag, at level: ResourceLevel) -> Bool {
        let value = tag.rawValue
        if value == DICOMTag.specificCharacterSet.rawValue { return true }
        if computed(level).contains(value) { return true }
        return ResourceLevel.allCases.contains { $0 <= level && moduleTags($0).contains(value) }
    }

    private static func moduleTags(_ level: ResourceLevel) -> Set<UInt32> {
        switch level {
        case .patient: patientTags
        case .study: studyTags
        case .series: seriesTags
        case .instance: instanceTags
        }
    }

    private static func computed(_ level: ResourceLevel) -> Set<UInt32> {
        switch level {
        case .patient: [0x0020_1200, 0x0020_1202, 0x0020_1204]
        case .study: [0x0008_0061, 0x0008_0062, 0x0020_1206, 0x0020_1208]
        case .series: [0x0020_1209]
        case .instance: []
        }
    }

    private static let patientTags: Set<UInt32> = [
        0x0010_0010, 0x0010_0020, 0x0010_0021, 0x0010_0030, 0x0010_0032, 0x0010_0040, 0x0010_1001, 0x0010_2160,
        0x0010_2201, 0x0010_2292, 0x0010_2297, 0x0010_2298, 0x0010_2299, 0x0010_4000,
    ]

    private static let studyTags: Set<UInt32> = [
        0x0008_0020, 0x0008_0030, 0x0008_0050, 0x0008_0090, 0x0008_1030, 0x0008_1048, 0x0008_1060, 0x0020_000D,
        0x0020_0010,
    ]

    private static let seriesTags: Set<UInt32> = [
        0x0008_0021, 0x0008_0031, 0x0008_0060, 0x0008_103E, 0x0008_1050, 0x0008_1070, 0x0010_2210, 0x0018_0015,
        0x0018_1030, 0x0018_5100, 0x0020_000E, 0x0020_0011, 0x0020_0060, 0x0040_0244, 0x0040_0245, 0x0040_0253,
        0x0040_0254, 0x0040_0280,
    ]

    private static let instanceTags: Set<UInt32> = [
        0x0008_0012, 0x0008_0013, 0x0008_0014, 0x0008_0016, 0x0008_0018, 0x0008_001A, 0x0008_001B, 0x0008_0201,
        0x0020_0013, 0x0028_0303,
    ]
}
