package import DICOMNetwork
import Synchronization

/// The storage commitment requests Atrium sent as SCU, by transaction UID, and the results the modalities reported
/// (`/storage-commitment/{id}`). Kept in memory, the most recent 100, as Orthanc keeps them; not across restarts.
package final class StorageCommitmentReports: Sendable {
    /// One request and, once the modality reported it, its result.
    package struct Report: Sendable, Equatable {
        /// The AE title of the modality asked.
        package var remoteAET: String
        package var result: StorageCommitmentResult?
    }

    /// How many reports are kept; the oldest goes first.
    static let capacity = 100

    private let state = Mutex<(order: [String], reports: [String: Report])>(([], [:]))

    package init() {}

    /// Records a request that waits for its result.
    func add(transactionUID: String, remoteAET: String) {
        state.withLock { state in
            if state.reports.updateValue(Report(remoteAET: remoteAET), forKey: transactionUID) == nil {
                state.order.append(transactionUID)
            }
            while state.order.count > Self.capacity { state.reports[state.order.removeFirst()] = nil }
        }
    }

    /// Forgets a request, e.g. one the modality refused.
    func remove(transactionUID: String) {
        state.withLock { state in
            guard state.reports.removeValue(forKey: transactionUID) != nil else { return }
            state.order.removeAll { $0 == transactionUID }
        }
    }

    /// Records a result; false when no request of this transaction is known (it is then ignored, as Orthanc does).
    @discardableResult
    func complete(_ result: StorageCommitmentResult) -> Bool {
        state.withLock { state in
            guard state.reports[result.transactionUID] != nil else { return false }
            state.reports[result.transactionUID]?.result = result
            return true
        }
    }

    package subscript(transactionUID: String) -> Report? {
        state.withLock { $0.reports[transactionUID] }
    }
}

extension StorageCommitmentReports.Report {
    /// `Pending`, then `Success` when every instance was committed, else `Failure`.
    var status: String {
        guard let result else { return "Pending" }
        return result.failures.isEmpty ? "Success" : "Failure"
    }

    /// The report as `GET /storage-commitment/{id}` shows it (Orthanc 1.10.1's fields): `RemoteAET` and `Status`,
    /// and once reported, `Success` and `Failures` (with `FailureReason` and its `Description`).
    var json: JSONValue {
        var object: [String: JSONValue] = ["RemoteAET": .string(remoteAET), "Status": .string(status)]
        if let result {
            object["Success"] = .array(
                result.committed.map {
                    ["SOPClassUID": .string($0.sopClassUID), "SOPInstanceUID": .string($0.sopInstanceUID)]
                })
            object["Failures"] = .array(
                result.failures.map {
                    [
                        "Description": .string(StorageCommitment.FailureReason.description($0.reason)),
                        "FailureReason": .int(Int64($0.reason)), "SOPClassUID": .string($0.reference.sopClassUID),
                        "SOPInstanceUID": .string($0.reference.sopInstanceUID),
                    ]
                })
        }
        return .object(object)
    }
}
