/// A tag whose value the index computes from a resource's descendants instead of storing it: the "Additional
/// Study/Series/Patient Attributes" of the query/retrieve information model (PS3.4 §C.3.4, §C.6.1.1.2 to
/// §C.6.1.1.4).
///
/// Orthanc (1.11 and later) answers them in `RequestedTags`. PS3.4 makes them return keys only, except
/// `ModalitiesInStudy`, which is also a matching key (§C.6.1.1.3.2); Orthanc 1.10.1 matches none of the others.
package enum ComputedTag: String, Sendable, CaseIterable {
    case numberOfPatientRelatedStudies = "NumberOfPatientRelatedStudies"
    case numberOfPatientRelatedSeries = "NumberOfPatientRelatedSeries"
    case numberOfPatientRelatedInstances = "NumberOfPatientRelatedInstances"
    case numberOfStudyRelatedSeries = "NumberOfStudyRelatedSeries"
    case numberOfStudyRelatedInstances = "NumberOfStudyRelatedInstances"
    case numberOfSeriesRelatedInstances = "NumberOfSeriesRelatedInstances"
    case modalitiesInStudy = "ModalitiesInStudy"
    case sopClassesInStudy = "SOPClassesInStudy"

    /// The keyword of PS3.6, the key under `RequestedTags`.
    package var keyword: String { rawValue }

    /// The tag as `(group << 16) | element` (PS3.6).
    package var tag: UInt32 {
        switch self {
        case .numberOfPatientRelatedStudies: 0x0020_1200
        case .numberOfPatientRelatedSeries: 0x0020_1202
        case .numberOfPatientRelatedInstances: 0x0020_1204
        case .numberOfStudyRelatedSeries: 0x0020_1206
        case .numberOfStudyRelatedInstances: 0x0020_1208
        case .numberOfSeriesRelatedInstances: 0x0020_1209
        case .modalitiesInStudy: 0x0008_0061
        case .sopClassesInStudy: 0x0008_0062
        }
    }

    /// The level of the resources that have the tag.
    package var level: ResourceLevel {
        switch self {
        case .numberOfPatientRelatedStudies, .numberOfPatientRelatedSeries, .numberOfPatientRelatedInstances:
            .patient
        case .numberOfStudyRelatedSeries, .numberOfStudyRelatedInstances, .modalitiesInStudy, .sopClassesInStudy:
            .study
        case .numberOfSeriesRelatedInstances:
            .series
        }
    }

    /// Reads a key of `RequestedTags` or `Query`: a keyword, or a tag as `0020,1206`, `00201206` or `(0020,1206)`.
    package init?(named key: String) {
        if let found = ComputedTag(rawValue: key) {
            self = found
            return
        }
        let digits = key.filter { $0 != "," && $0 != "(" && $0 != ")" }
        guard digits.count == 8, let number = UInt32(digits, radix: 16),
            let found = ComputedTag.allCases.first(where: { $0.tag == number })
        else { return nil }
        self = found
    }

    /// The query computing the value for the resource whose `internalId` is the one argument: one row per value,
    /// sorted, joined with `\` when there are several.
    var sql: String {
        switch self {
        case .numberOfPatientRelatedStudies, .numberOfStudyRelatedSeries, .numberOfSeriesRelatedInstances:
            return "SELECT COUNT(*) FROM Resources WHERE parentId = ?"
        case .numberOfPatientRelatedSeries, .numberOfStudyRelatedInstances:
            return "SELECT COUNT(*) FROM Resources c JOIN Resources p ON c.parentId = p.internalId WHERE p.parentId = ?"
        case .numberOfPatientRelatedInstances:
            return """
                SELECT COUNT(*) FROM Resources i JOIN Resources se ON i.parentId = se.internalId
                JOIN Resources st ON se.parentId = st.internalId WHERE st.parentId = ?
                """
        case .modalitiesInStudy:
            return """
                SELECT DISTINCT m.value FROM Resources s JOIN MainDicomTags m ON m.id = s.internalId
                WHERE s.parentId = ? AND m.tagGroup = 8 AND m.tagElement = 96 AND m.value IS NOT NULL
                ORDER BY m.value
                """
        case .sopClassesInStudy:
            return """
                SELECT DISTINCT m.value FROM Resources s JOIN Resources i ON i.parentId = s.internalId
                JOIN Metadata m ON m.id = i.internalId
                WHERE s.parentId = ? AND m.type = \(MetadataType.sopClassUID.rawValue) AND m.value <> ''
                ORDER BY m.value
                """
        }
    }
}
