import Persistence
import Testing

@testable import ImagingServer

@Suite struct ImagingIndexTests {
    @Test func storesAndRendersAHierarchy() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let record = IndexFixture.record(tags: [0x0010_0010: "Doe^Jane", 0x0008_0060: "CT", 0x0008_0050: ""])
        let outcome = try await fixture.index.store(record, overwrite: .never, limits: .init())
        #expect(outcome.status == .success)
        #expect(outcome.newLevels == [.patient, .study, .series])
        #expect(outcome.ids.patient == OrthancID(hashing: ["P1"]))
        #expect(outcome.ids.instance == OrthancID(hashing: ["P1", "1.2.3", "1.2.3.4", "1.2.3.4.5"]))

        let study = try #require(try await fixture.index.resource(outcome.ids.study, level: .study))
        #expect(study.parent == outcome.ids.patient)
        #expect(study.children == [outcome.ids.series])
        let rendered = ResourceRenderer.resource(study, isStable: false)
        #expect(rendered["MainDicomTags"] == ["StudyInstanceUID": "1.2.3", "AccessionNumber": ""])
        #expect(rendered["PatientMainDicomTags"] == ["PatientID": "P1", "PatientName": "Doe^Jane"])
        #expect(rendered["Type"] == "Study")
        #expect(rendered["IsStable"] == false)
        #expect(rendered["ParentPatient"] == .string(outcome.ids.patient.value))

        let instance = try #require(try await fixture.index.resource(outcome.ids.instance, level: .instance))
        let renderedInstance = ResourceRenderer.resource(instance, isStable: true)
        #expect(renderedInstance["FileSize"] == 100)
        #expect(renderedInstance["IndexInSeries"] == 1)
        #expect(renderedInstance["FileUuid"] == .string(record.file.uuid))
        #expect(renderedInstance["IsStable"] == nil)

        // A resource asked at the wrong level is unknown.
        #expect(try await fixture.index.resource(outcome.ids.study, level: .series) == nil)

        let statistics = try await fixture.index.statistics()
        #expect(
            statistics
                == IndexStatistics(
                    patients: 1, studies: 1, series: 1, instances: 1, compressedSize: 100,
                    uncompressedSize: 100))
    }

    @Test func findsTheDicomFileOfAnInstanceOnly() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let record = IndexFixture.record(size: 321, md5: "ab")
        let ids = try await fixture.index.store(record, overwrite: .never, limits: .init()).ids
        let file = try #require(try await fixture.index.dicomFile(of: ids.instance))
        #expect(file.uuid == record.file.uuid)
        #expect(file.fileType == 1)
        #expect(file.uncompressedSize == 321 && file.compressedSize == 321)
        #expect(file.uncompressedMD5 == "ab")
        #expect(try await fixture.index.contains(instance: ids.instance))
        // The series has no DICOM file; an unknown ID neither.
        #expect(try await fixture.index.dicomFile(of: ids.series) == nil)
        #expect(try await fixture.index.contains(instance: ids.series) == false)
        #expect(try await fixture.index.dicomFile(of: OrthancID("nope")) == nil)
    }

    @Test func duplicatesAndOverwrite() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let first = IndexFixture.record(md5: "aa")
        _ = try await fixture.index.store(first, overwrite: .never, limits: .init())
        let second = IndexFixture.record(md5: "bb")
        #expect(try await fixture.index.store(second, overwrite: .never, limits: .init()).status == .alreadyStored)
        #expect(try await fixture.index.store(second, overwrite: .ifChanged, limits: .init()).status == .success)
        let third = IndexFixture.record(md5: "bb")
        #expect(try await fixture.index.store(third, overwrite: .ifChanged, limits: .init()).status == .alreadyStored)
        let replaced = try await fixture.index.store(third, overwrite: .always, limits: .init())
        #expect(replaced.status == .success)
        #expect(replaced.obsoleteFiles == [ObsoleteFile(uuid: second.file.uuid)])
        #expect(try await fixture.index.statistics().instances == 1)
    }

    @Test func changesAreLoggedInstanceFirst() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let outcome = try await fixture.index.store(IndexFixture.record(), overwrite: .never, limits: .init())
        let (changes, done, last) = try await fixture.index.changes(since: 0, limit: 100)
        #expect(changes.map(\.change) == [2, 4, 5, 3])
        #expect(
            changes.map(\.id) == [outcome.ids.instance, outcome.ids.series, outcome.ids.study, outcome.ids.patient])
        #expect(done)
        #expect(last == 4)
        let page = try await fixture.index.changes(since: 1, limit: 2)
        #expect(page.changes.map(\.seq) == [2, 3])
        #expect(!page.done)
        #expect(page.last == 3)
    }

    @Test func logsStableChangesTogetherAndSkipsDeletedResources() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let outcome = try await fixture.index.store(IndexFixture.record(), overwrite: .never, limits: .init())
        let gone = OrthancID("00000000-00000000-00000000-00000000-00000000")
        try await fixture.index.logChanges([
            (change: try #require(ChangeType.stable(.series)), id: outcome.ids.series, level: .series),
            (change: try #require(ChangeType.stable(.study)), id: gone, level: .study),
            (change: try #require(ChangeType.stable(.patient)), id: outcome.ids.patient, level: .patient),
        ])
        let changes = try await fixture.index.changes(since: 4, limit: 100).changes
        #expect(changes.map(\.change) == [ChangeType.stable(.series)?.rawValue, ChangeType.stable(.patient)?.rawValue])
        #expect(changes.map(\.id) == [outcome.ids.series, outcome.ids.patient])
        #expect(Set(changes.map(\.date)).count == 1)
    }

    @Test func deleteRemovesEmptyParents() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let one = try await fixture.index.store(IndexFixture.record(sop: "1.1"), overwrite: .never, limits: .init())
        let two = try await fixture.index.store(
            IndexFixture.record(series: "9.9", sop: "2.2"), overwrite: .never, limits: .init())
        let first = try #require(try await fixture.index.delete(one.ids.instance, level: .instance))
        #expect(first.remainingAncestor?.0 == .study)
        #expect(first.remainingAncestor?.1 == one.ids.study)
        #expect(first.files.count == 1)
        #expect(try await fixture.index.resource(one.ids.series, level: .series) == nil)
        let second = try #require(try await fixture.index.delete(two.ids.instance, level: .instance))
        #expect(second.remainingAncestor == nil)
        #expect(
            try await fixture.index.statistics()
                == IndexStatistics(
                    patients: 0, studies: 0, series: 0,
                    instances: 0, compressedSize: 0, uncompressedSize: 0))
        #expect(try await fixture.index.delete(two.ids.instance, level: .instance) == nil)
    }

    @Test func recyclesTheOldestPatient() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let limits = RecyclingLimits(maximumPatientCount: 2)
        let a = try await fixture.index.store(IndexFixture.record(patient: "A"), overwrite: .never, limits: limits)
        _ = try await fixture.index.store(IndexFixture.record(patient: "B"), overwrite: .never, limits: limits)
        #expect(try await fixture.index.setProtected(true, patient: a.ids.patient))
        let c = try await fixture.index.store(IndexFixture.record(patient: "C"), overwrite: .never, limits: limits)
        #expect(c.obsoleteFiles.count == 1)
        #expect(try await fixture.index.list(level: .patient, since: 0, limit: 0) == [a.ids.patient, c.ids.patient])
        await #expect(throws: OrthancError(.fullStorage)) {
            try await fixture.index.store(
                IndexFixture.record(patient: "D"), overwrite: .never,
                limits: RecyclingLimits(maximumPatientCount: 2, rejectsInsteadOfRecycling: true))
        }
        #expect(try await fixture.index.statistics().patients == 2)
    }

    @Test func concurrentStoresShareCommits() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let index = fixture.index
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<200 {
                group.addTask {
                    let record = IndexFixture.record(patient: "P\(number % 7)", sop: "1.2.\(number)")
                    let outcome = try await index.store(record, overwrite: .never, limits: .init())
                    #expect(outcome.status == .success)
                }
            }
            try await group.waitForAll()
        }
        let statistics = try await index.statistics()
        #expect(statistics.instances == 200)
        #expect(statistics.patients == 7)
    }

    @Test func findsByMainTags() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let smith = try await fixture.index.store(
            IndexFixture.record(patient: "S", tags: [0x0010_0010: "Smith^John", 0x0008_0020: "20200315"]),
            overwrite: .never, limits: .init())
        _ = try await fixture.index.store(
            IndexFixture.record(patient: "J", tags: [0x0010_0010: "Jones^Ann", 0x0008_0020: "20210101"]),
            overwrite: .never, limits: .init())
        func find(_ body: JSONValue) async throws -> [OrthancID] {
            try await fixture.index.find(try FindRequest(json: body), cap: 0)
        }
        #expect(try await find(["Level": "Study", "Query": ["PatientName": "smith*"]]) == [smith.ids.study])
        #expect(try await find(["Level": "Study", "Query": ["PatientName": "smith*"], "CaseSensitive": true]) == [])
        #expect(try await find(["Level": "Study", "Query": ["StudyDate": "20200101-20201231"]]) == [smith.ids.study])
        #expect(try await find(["Level": "Patient", "Query": ["PatientID": "S"]]) == [smith.ids.patient])
        #expect(try await find(["Level": "Instance", "Query": ["PatientName": "Smith^John"]]) == [smith.ids.instance])
        #expect(try await find(["Level": "Series", "Query": [:]]).count == 2)
        #expect(try await find(["Level": "Series", "Query": [:], "Limit": 1]).count == 1)
        #expect(try await find(["Level": "Series", "Query": [:], "Since": 1]).count == 1)
        let ordered = try await find([
            "Level": "Study", "Query": [:],
            "OrderBy": [["Type": "DicomTag", "Key": "StudyDate", "Direction": "DESC"]],
        ])
        #expect(ordered.last == smith.ids.study)
        #expect(throws: OrthancError(.parameterOutOfRange)) { try FindRequest(json: ["Level": "Nope", "Query": [:]]) }
        #expect(throws: OrthancError(.badRequest)) { try FindRequest(json: ["Level": "Study"]) }
    }

    /// `CaseSensitive` is false by default and then applies to every tag, identifiers included (Orthanc 1.10.1).
    @Test func findsCaseInsensitivelyUnlessCaseSensitive() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let head = try await fixture.index.store(
            IndexFixture.record(
                patient: "CaseP1", study: "1.1", series: "1.1.1", sop: "1.1.1.1",
                tags: [0x0008_1030: "Head Scan", 0x0008_0050: "acc7", 0x0008_0060: "CT"]),
            overwrite: .never, limits: .init())
        let other = try await fixture.index.store(
            IndexFixture.record(
                patient: "casep2", study: "1.2", series: "1.2.1", sop: "1.2.1.1",
                tags: [0x0008_1030: "HEAD scan", 0x0008_0050: "ACC8", 0x0008_0060: "MR"]),
            overwrite: .never, limits: .init())
        func find(_ level: String, _ key: String, _ value: String, caseSensitive: Bool? = nil) async throws
            -> [OrthancID]
        {
            var body: [String: JSONValue] = ["Level": .string(level), "Query": .object([key: .string(value)])]
            if let caseSensitive { body["CaseSensitive"] = .bool(caseSensitive) }
            return try await fixture.index.find(try FindRequest(json: .object(body)), cap: 0)
        }
        #expect(try await find("Study", "PatientID", "casep1") == [head.ids.study])
        #expect(try await find("Study", "PatientID", "casep1", caseSensitive: true) == [])
        #expect(try await find("Patient", "PatientID", "CASEP1", caseSensitive: false) == [head.ids.patient])
        #expect(try await find("Study", "PatientID", "CASEP*") == [head.ids.study, other.ids.study])
        #expect(try await find("Study", "StudyDescription", "head scan") == [head.ids.study, other.ids.study])
        #expect(try await find("Study", "StudyDescription", "Head Scan", caseSensitive: true) == [head.ids.study])
        #expect(try await find("Study", "AccessionNumber", "ACC7") == [head.ids.study])
        #expect(try await find("Study", "AccessionNumber", "acc*", caseSensitive: true) == [head.ids.study])
        #expect(try await find("Series", "Modality", "ct\\mr") == [head.ids.series, other.ids.series])
        #expect(try await find("Series", "Modality", "ct\\mr", caseSensitive: true) == [])
    }

    @Test func findsStudiesByModalitiesInStudy() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let mixed = try await fixture.index.store(
            IndexFixture.record(study: "1.1", series: "1.1.1", sop: "1.1.1.1", tags: [0x0008_0060: "CT"]),
            overwrite: .never, limits: .init())
        _ = try await fixture.index.store(
            IndexFixture.record(study: "1.1", series: "1.1.2", sop: "1.1.2.1", tags: [0x0008_0060: "MR"]),
            overwrite: .never, limits: .init())
        let pet = try await fixture.index.store(
            IndexFixture.record(study: "1.2", series: "1.2.1", sop: "1.2.1.1", tags: [0x0008_0060: "PT"]),
            overwrite: .never, limits: .init())
        func find(_ query: String, caseSensitive: Bool = false) async throws -> [OrthancID] {
            try await fixture.index.find(
                try FindRequest(
                    json: [
                        "Level": "Study", "Query": ["ModalitiesInStudy": .string(query)],
                        "CaseSensitive": .bool(caseSensitive),
                    ]),
                cap: 0)
        }
        #expect(try await find("MR") == [mixed.ids.study])
        #expect(try await find("MR\\PT") == [mixed.ids.study, pet.ids.study])
        #expect(try await find("mr") == [mixed.ids.study])
        #expect(try await find("mr", caseSensitive: true) == [])
        #expect(try await find("P*") == [pet.ids.study])
        #expect(try await find("US") == [])
        #expect(try await find("") == [mixed.ids.study, pet.ids.study])
        #expect(throws: OrthancError(.badRequest)) {
            try FindRequest(json: ["Level": "Series", "Query": ["ModalitiesInStudy": "CT"]])
        }
        let study = try #require(try await fixture.index.resource(mixed.ids.study, level: .study))
        let rendered = ResourceRenderer.resource(study, isStable: false, requestedTags: ["0008,0061"])
        #expect(rendered["RequestedTags"] == ["ModalitiesInStudy": "CT\\MR"])
    }

    @Test func computesTagsFromDescendants() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let first = try await fixture.index.store(
            IndexFixture.record(study: "1.1", series: "1.1.1", sop: "1.1.1.1", tags: [0x0008_0060: "CT"]),
            overwrite: .never, limits: .init())
        for (series, sop, modality, sopClass) in [
            ("1.1.1", "1.1.1.2", "CT", "1.2.840.10008.5.1.4.1.1.2"),
            ("1.1.2", "1.1.2.1", "MR", "1.2.840.10008.5.1.4.1.1.4"),
        ] {
            var record = IndexFixture.record(study: "1.1", series: series, sop: sop, tags: [0x0008_0060: modality])
            record.metadata[.sopClassUID] = sopClass
            _ = try await fixture.index.store(record, overwrite: .never, limits: .init())
        }
        _ = try await fixture.index.store(
            IndexFixture.record(study: "1.2", series: "1.2.1", sop: "1.2.1.1", tags: [0x0008_0060: "PT"]),
            overwrite: .never, limits: .init())
        let all = ComputedTag.allCases
        let patient = try #require(try await fixture.index.resource(first.ids.patient, level: .patient, computing: all))
        #expect(
            patient.computedTags == [
                .numberOfPatientRelatedStudies: "2", .numberOfPatientRelatedSeries: "3",
                .numberOfPatientRelatedInstances: "4",
            ])
        let study = try #require(
            try await fixture.index.resources([first.ids.study], level: .study, computing: all).first)
        #expect(
            study.computedTags == [
                .numberOfStudyRelatedSeries: "2", .numberOfStudyRelatedInstances: "3", .modalitiesInStudy: "CT\\MR",
                .sopClassesInStudy: "1.2.840.10008.5.1.4.1.1.2\\1.2.840.10008.5.1.4.1.1.4",
            ])
        let series = try #require(try await fixture.index.resource(first.ids.series, level: .series, computing: all))
        #expect(series.computedTags == [.numberOfSeriesRelatedInstances: "2"])
        let rendered = ResourceRenderer.resource(
            study, isStable: false,
            requestedTags: ["NumberOfStudyRelatedSeries", "0020,1208", "NumberOfSeriesRelatedInstances"])
        #expect(rendered["RequestedTags"] == ["NumberOfStudyRelatedSeries": "2", "NumberOfStudyRelatedInstances": "3"])
        #expect(throws: OrthancError(.badRequest)) {
            try FindRequest(json: ["Level": "Study", "Query": ["NumberOfStudyRelatedSeries": "2"]])
        }
        let universal = try FindRequest(json: ["Level": "Study", "Query": ["NumberOfStudyRelatedSeries": ""]])
        #expect(universal.constraints.isEmpty)
    }

    @Test func computesTheSeriesStatusFromItsInstances() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        func store(_ sop: String, index: String?, cardiac: String) async throws -> StoreOutcome {
            var record = IndexFixture.record(sop: sop, tags: [0x0018_1090: cardiac])
            record.metadata[.indexInSeries] = index
            return try await fixture.index.store(record, overwrite: .never, limits: .init())
        }
        let first = try await store("1.1", index: "1", cardiac: "2")
        func rendered() async throws -> JSONValue {
            let series = try #require(try await fixture.index.resource(first.ids.series, level: .series))
            return ResourceRenderer.resource(series, isStable: false)
        }
        #expect(try await rendered()["ExpectedNumberOfInstances"] == 2)
        #expect(try await rendered()["Status"] == "Missing")
        _ = try await store("1.2", index: nil, cardiac: "9")
        #expect(try await rendered()["Status"] == "Missing")
        _ = try await store("1.3", index: "2", cardiac: "9")
        #expect(try await rendered()["ExpectedNumberOfInstances"] == 2)
        #expect(try await rendered()["Status"] == "Complete")
        let metadata = try #require(try await fixture.index.metadata(of: first.ids.series, level: .series))
        #expect(
            metadata.map(\.0.name) == [
                "RemoteAET", "ExpectedNumberOfInstances", "LastUpdate", "MainDicomTagsSignature",
            ])
        #expect(metadata.last?.1 == MainDicomTag.signature(of: .series))
    }

    @Test func userDefinedAttachmentsKeepRevisions() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let outcome = try await fixture.index.store(IndexFixture.record(), overwrite: .never, limits: .init())
        let id = outcome.ids.series
        func file(_ uuid: String, md5: String, size: Int64 = 5) -> StoredFile {
            StoredFile(
                uuid: uuid, compression: .none, uncompressedSize: size, compressedSize: size, uncompressedMD5: md5,
                compressedMD5: md5)
        }
        let created = try await fixture.index.setAttachment(
            file("u1", md5: "m1"), fileType: 1025, of: id, level: .series, expected: nil, requiresRevision: true)
        #expect(created == AttachmentUpdate(revision: 0, replacedFile: nil))
        await #expect(throws: OrthancError(.revision)) {
            try await fixture.index.setAttachment(
                file("u2", md5: "m2"), fileType: 1025, of: id, level: .series, expected: nil, requiresRevision: true)
        }
        await #expect(throws: OrthancError(.revision)) {
            try await fixture.index.setAttachment(
                file("u2", md5: "m2"), fileType: 1025, of: id, level: .series,
                expected: RevisionTag(revision: 0, md5: "other"), requiresRevision: false)
        }
        let replaced = try await fixture.index.setAttachment(
            file("u2", md5: "m2"), fileType: 1025, of: id, level: .series,
            expected: RevisionTag(revision: 0, md5: "m1"), requiresRevision: true)
        #expect(replaced == AttachmentUpdate(revision: 1, replacedFile: ObsoleteFile(uuid: "u1")))
        let reencoded = try await fixture.index.reencodeAttachment(
            file("u3", md5: "m2", size: 3), fileType: 1025, of: id, level: .series)
        #expect(reencoded == ObsoleteFile(uuid: "u2"))
        let items = try #require(try await fixture.index.attachments(of: id, level: .series))
        #expect(items.map(\.uuid) == ["u3"])
        #expect(items.first?.revisionTag == RevisionTag(revision: 1, md5: "m2"))
        #expect(try await fixture.index.statistics().compressedSize == 100 + 3)
        #expect(
            try await fixture.index.setAttachment(
                file("u4", md5: "m4"), fileType: 1025, of: OrthancID("nope"), level: .series, expected: nil,
                requiresRevision: false) == nil)
        let deleted = try await fixture.index.deleteAttachment(
            fileType: 1025, of: id, level: .series, expected: nil, requiresRevision: false)
        #expect(deleted == .some(ObsoleteFile(uuid: "u3")))
        let again = try await fixture.index.deleteAttachment(
            fileType: 1025, of: id, level: .series, expected: nil, requiresRevision: false)
        #expect(again == .some(nil))
        let changes = try await fixture.index.changes(since: 0, limit: 100).changes.map(\.change)
        #expect(changes.filter { $0 == ChangeType.updatedAttachment.rawValue }.count == 3)
    }

    @Test func metadataRevisions() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let id = try await fixture.index.store(IndexFixture.record(), overwrite: .never, limits: .init()).ids.study
        let type = MetadataType(rawValue: 1030)
        func put(_ value: String, _ expected: RevisionTag?, required: Bool = false) async throws -> RevisionTag? {
            try await fixture.index.putMetadata(
                type, value: value, of: id, level: .study, expected: expected, requiresRevision: required)
        }
        let first = try await put("a", nil, required: true)
        #expect(first == RevisionTag(revision: 0, value: "a"))
        await #expect(throws: OrthancError(.revision)) { try await put("b", nil, required: true) }
        await #expect(throws: OrthancError(.revision)) { try await put("b", RevisionTag(revision: 1, value: "a")) }
        #expect(try await put("b", first) == RevisionTag(revision: 1, value: "b"))
        #expect(
            try await fixture.index.putMetadata(
                type, value: "x", of: OrthancID("nope"), level: .study, expected: nil, requiresRevision: false) == nil)
        await #expect(throws: OrthancError(.revision)) {
            try await fixture.index.deleteMetadata(type, of: id, level: .study, expected: first)
        }
        #expect(
            try await fixture.index.deleteMetadata(
                type, of: id, level: .study, expected: RevisionTag(revision: 1, value: "b")) == true)
    }

    @Test func looksUpIdentifiers() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let outcome = try await fixture.index.store(
            IndexFixture.record(patient: "pat_1"), overwrite: .never,
            limits: .init())
        let found = try await fixture.index.lookup("pat_1")
        #expect(found.map(\.1) == [outcome.ids.patient])
        #expect(try await fixture.index.lookup("1.2.3.4").map(\.1) == [outcome.ids.series])
    }

    @Test func metadataAndLabels() async throws {
        let fixture = try IndexFixture()
        defer { fixture.remove() }
        let outcome = try await fixture.index.store(IndexFixture.record(), overwrite: .never, limits: .init())
        let id = outcome.ids.study
        #expect(try await fixture.index.setMetadata(MetadataType(rawValue: 1024), value: "x", of: id, level: .study))
        let items = try #require(try await fixture.index.metadata(of: id, level: .study))
        #expect(items.map(\.0.rawValue) == [7, 15, 1024])
        #expect(try await fixture.index.deleteMetadata(MetadataType(rawValue: 1024), of: id, level: .study) == true)
        #expect(try await fixture.index.deleteMetadata(MetadataType(rawValue: 1024), of: id, level: .study) == false)
        #expect(try await fixture.index.setLabel("hello", present: true, of: id, level: .study))
        #expect(try await fixture.index.allLabels() == ["hello"])
        let labelled = try await fixture.index.find(
            try FindRequest(json: ["Level": "Study", "Query": [:], "Labels": ["hello"]]), cap: 0)
        #expect(labelled == [id])
    }
}
