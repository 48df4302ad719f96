import Testing

@testable import ImagingServer

@Suite struct ComputedTagTests {
    @Test(arguments: [
        ("NumberOfStudyRelatedSeries", ComputedTag.numberOfStudyRelatedSeries),
        ("0020,1208", .numberOfStudyRelatedInstances),
        ("00201209", .numberOfSeriesRelatedInstances),
        ("(0020,1200)", .numberOfPatientRelatedStudies),
        ("0020,1202", .numberOfPatientRelatedSeries),
        ("0020,1204", .numberOfPatientRelatedInstances),
        ("0008,0061", .modalitiesInStudy),
        ("SOPClassesInStudy", .sopClassesInStudy),
    ])
    func readsKeywordsAndTags(key: String, expected: ComputedTag) {
        #expect(ComputedTag(named: key) == expected)
    }

    @Test func ignoresOtherKeys() {
        #expect(ComputedTag(named: "PatientName") == nil)
        #expect(ComputedTag(named: "0010,0010") == nil)
        #expect(ComputedTag(named: "numberofstudyrelatedseries") == nil)
    }

    @Test func levels() {
        #expect(
            ComputedTag.allCases.filter { $0.level == .patient }.map(\.keyword) == [
                "NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries", "NumberOfPatientRelatedInstances",
            ])
        #expect(ComputedTag.allCases.filter { $0.level == .series } == [.numberOfSeriesRelatedInstances])
    }
}
