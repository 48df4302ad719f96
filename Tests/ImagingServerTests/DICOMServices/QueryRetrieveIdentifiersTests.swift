import DICOM
import Testing

@testable import ImagingServer

/// The identifiers Atrium sends as query/retrieve SCU and the errors it reports, as Orthanc 1.10.1 does.
@Suite struct QueryRetrieveIdentifiersTests {
    static func keys(_ object: [String: JSONValue]) throws -> DataSet {
        try QueryRetrieveIdentifiers.keys(object, field: "Query")
    }

    static func tags(_ dataSet: DataSet) -> [String] { dataSet.map(\.tag.orthancKey) }

    @Test func addsTheLevelKeysAndNormalizes() throws {
        let query = try Self.keys([
            "PatientName": "X*", "Modality": "CT", "SOPInstanceUID": "1", "0008,0061": "CT", "StudyDescription": "a",
        ])
        let identifier = QueryRetrieveIdentifiers.find(query, level: .study, normalize: true)
        #expect(
            Self.tags(identifier) == [
                "0008,0005", "0008,0050", "0008,0052", "0008,0061", "0008,1030", "0010,0010", "0010,0020",
                "0020,000d",
            ])
        #expect(identifier[.specificCharacterSet]?.strings(in: .default) == ["ISO_IR 100"])
        #expect(identifier[DICOMTag(0x0008, 0x0052)]?.strings(in: .default) == ["STUDY"])
        let kept = QueryRetrieveIdentifiers.find(query, level: .study, normalize: false)
        #expect(kept.contains(DICOMTag(0x0008, 0x0060)) && kept.contains(.sopInstanceUID))
    }

    @Test(arguments: [
        (ResourceLevel.patient, ["0008,0005", "0008,0052", "0010,0020"]),
        (.series, ["0008,0005", "0008,0050", "0008,0052", "0010,0020", "0020,000d", "0020,000e"]),
        (.instance, ["0008,0005", "0008,0018", "0008,0050", "0008,0052", "0010,0020", "0020,000d", "0020,000e"]),
    ])
    func levelKeys(level: ResourceLevel, expected: [String]) {
        #expect(Self.tags(QueryRetrieveIdentifiers.find(DataSet(), level: level, normalize: true)) == expected)
    }

    @Test func normalizationKeepsTheComputedCountsOfTheLevelOnly() {
        #expect(QueryNormalization.keeps(DICOMTag(0x0020, 0x1208), at: .study))
        #expect(!QueryNormalization.keeps(DICOMTag(0x0020, 0x1208), at: .series))
        #expect(QueryNormalization.keeps(DICOMTag(0x0010, 0x0030), at: .instance))
        #expect(!QueryNormalization.keeps(DICOMTag(0x0020, 0x0013), at: .series))
    }

    @Test func refusesUnknownKeysAndValuesThatAreNoStrings() {
        for object: [String: JSONValue] in [["Nonexistent": "1"], ["PatientName": 3], ["PatientName": ["a"]]] {
            #expect(throws: OrthancError(.badFileFormat)) { try Self.keys(object) }
        }
    }

    @Test func retrieveIdentifiersHoldTheUniqueKeys() throws {
        let answer = try Self.keys([
            "PatientID": "P", "StudyInstanceUID": "1.2", "SeriesInstanceUID": "1.2.3", "Modality": "CT",
            "AccessionNumber": "A", "QueryRetrieveLevel": "SERIES",
        ])
        let move = try #require(QueryRetrieveIdentifiers.retrieve(answer, level: .series, requireAll: true))
        #expect(Self.tags(move) == ["0008,0005", "0008,0052", "0020,000d", "0020,000e"])
        #expect(QueryRetrieveIdentifiers.retrieve(answer, level: .instance, requireAll: true) == nil)
        #expect(
            Self.tags(QueryRetrieveIdentifiers.summary(of: answer)) == [
                "0008,0050", "0008,0052", "0010,0020", "0020,000d", "0020,000e",
            ])
    }

    @Test func failuresAreWordedAsOrthancWordsThem() {
        let notFound = ModalityClient.failure(.move, title: "B", status: 0xC000)
        #expect(notFound.code.httpStatus == 422 && notFound.code.orthancStatus == 9)
        #expect(
            notFound.details
                == "C-MOVE SCU to AET \"B\" has failed with DIMSE status 0xC000 (unable to process - resource not found ?)"
        )
        let other = ModalityClient.failure(.find, title: "B", status: 0xA700)
        #expect(other.code.httpStatus == 500)
        #expect(other.details == "C-FIND SCU to AET \"B\" has failed with DIMSE status 0xA700")
        #expect(ModalityClient.QueryRetrieveOperation.get.sopClass(.patient) == "1.2.840.10008.5.1.4.1.2.1.3")
        #expect(ModalityClient.QueryRetrieveOperation.move.sopClass(.instance) == "1.2.840.10008.5.1.4.1.2.2.2")
    }

    @Test func theRegistryForgetsTheOldestQueries() {
        let registry = QueryRegistry(capacity: 2)
        let query = RemoteQuery(modality: "m", level: .study, query: DataSet(), answers: [])
        let first = registry.add(query)
        let second = registry.add(query)
        let third = registry.add(query)
        #expect(registry[first] == nil)
        #expect(registry.ids == [second, third].sorted())
        registry.remove(second)
        #expect(registry.ids == [third])
    }
}
