import DICOMNetwork
import Testing

@testable import ImagingServer

/// The reports of `/storage-commitment/{id}`: pending, then reported, the oldest forgotten beyond the capacity.
@Suite struct StorageCommitmentReportsTests {
    static let ct = SOPReference(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3")

    @Test func pendingThenReported() {
        let reports = StorageCommitmentReports()
        reports.add(transactionUID: "2.25.1", remoteAET: "MODALITY")
        #expect(reports["2.25.1"]?.json == ["RemoteAET": "MODALITY", "Status": "Pending"])
        let result = StorageCommitmentResult(
            transactionUID: "2.25.1", committed: [],
            failures: [.init(reference: Self.ct, reason: StorageCommitment.FailureReason.classInstanceConflict)])
        #expect(reports.complete(result))
        #expect(!reports.complete(StorageCommitmentResult(transactionUID: "2.25.2", committed: [], failures: [])))
        #expect(
            reports["2.25.1"]?.json == [
                "Failures": [
                    [
                        "Description":
                            "The SOP Class of an element in the Referenced SOP Instance Sequence did not correspond to the SOP class registered for this SOP Instance at the SCP",
                        "FailureReason": 281, "SOPClassUID": "1.2.840.10008.5.1.4.1.1.2", "SOPInstanceUID": "1.2.3",
                    ]
                ],
                "RemoteAET": "MODALITY", "Status": "Failure", "Success": [],
            ])
    }

    @Test func keepsTheMostRecent() {
        let reports = StorageCommitmentReports()
        for index in 0...StorageCommitmentReports.capacity {
            reports.add(transactionUID: "2.25.\(index)", remoteAET: "MODALITY")
        }
        #expect(reports["2.25.0"] == nil)
        #expect(reports["2.25.1"] != nil)
        reports.remove(transactionUID: "2.25.1")
        #expect(reports["2.25.1"] == nil)
    }
}
