package import DICOM

/// The Storage Commitment Push Model SOP class (PS3.4 Annex J): an SCU asks with an N-ACTION whether the SCP
/// takes responsibility for instances; the SCP answers later with an N-EVENT-REPORT, usually on a new association
/// it opens to the SCU (Orthanc's way, and IHE RAD-10's).
package enum StorageCommitment {
    /// Storage Commitment Push Model SOP Class.
    package static let sopClassUID = "1.2.840.10008.1.20.1"
    /// Its well-known SOP instance, which N-ACTION and N-EVENT-REPORT name.
    package static let sopInstanceUID = "1.2.840.10008.1.20.1.1"
    /// Action Type ID 1: request storage commitment (PS3.4 §J.3.2).
    package static let requestActionType: UInt16 = 1
    /// Event Type ID 1: every instance committed; 2: failures exist (PS3.4 §J.3.3).
    package static let successEventType: UInt16 = 1
    package static let failuresEventType: UInt16 = 2

    static let transactionUID = DICOMTag(0x0008, 0x1195)
    static let referencedSOPSequence = DICOMTag(0x0008, 0x1199)
    static let failedSOPSequence = DICOMTag(0x0008, 0x1198)
    static let referencedSOPClassUID = DICOMTag(0x0008, 0x1150)
    static let referencedSOPInstanceUID = DICOMTag(0x0008, 0x1155)
    static let failureReason = DICOMTag(0x0008, 0x1197)

    /// The Failure Reason (0008,1197) values (PS3.3 §C.14.1.1).
    package enum FailureReason {
        package static let processingFailure: UInt16 = 0x0110
        package static let noSuchObjectInstance: UInt16 = 0x0112
        package static let resourceLimitation: UInt16 = 0x0213
        package static let sopClassNotSupported: UInt16 = 0x0122
        package static let classInstanceConflict: UInt16 = 0x0119
        package static let duplicateTransactionUID: UInt16 = 0x0131

        /// The meaning of a reason as PS3.3 words it, which Orthanc reports as `Description`.
        package static func description(_ reason: UInt16) -> String {
            switch reason {
            case processingFailure: "A general failure in processing the operation was encountered"
            case noSuchObjectInstance:
                "One or more of the elements in the Referenced SOP Instance Sequence was not available"
            case resourceLimitation:
                "The SCP does not currently have enough resources to store the requested SOP Instance(s)"
            case sopClassNotSupported:
                "Storage Commitment has been requested for a SOP Instance with a SOP Class that is not supported by the SCP"
            case classInstanceConflict:
                "The SOP Class of an element in the Referenced SOP Instance Sequence did not correspond to the SOP class registered for this SOP Instance at the SCP"
            case duplicateTransactionUID: "The Transaction UID of the Storage Commitment Request is already in use"
            default: "Unknown failure reason"
            }
        }
    }
}

/// Why a storage commitment data set cannot be read.
package struct StorageCommitmentError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String

    package var description: String { message }
}

/// One instance, by SOP class and SOP instance UIDs (the SOP Instance Reference Macro, PS3.3 Table 10-11).
package struct SOPReference: Sendable, Hashable {
    package var sopClassUID: String
    package var sopInstanceUID: String

    package init(sopClassUID: String, sopInstanceUID: String) {
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
    }

    init(item: DataSet) throws(StorageCommitmentError) {
        guard let sopClass = item[StorageCommitment.referencedSOPClassUID]?.string(), !sopClass.isEmpty,
            let sopInstance = item[StorageCommitment.referencedSOPInstanceUID]?.string(), !sopInstance.isEmpty
        else { throw StorageCommitmentError(message: "an item without Referenced SOP Class or Instance UID") }
        self.init(sopClassUID: sopClass, sopInstanceUID: sopInstance)
    }

    func item(failureReason: UInt16? = nil) -> DataSet {
        var elements = [
            DataElement(tag: StorageCommitment.referencedSOPClassUID, vr: .UI, strings: [sopClassUID]),
            DataElement(tag: StorageCommitment.referencedSOPInstanceUID, vr: .UI, strings: [sopInstanceUID]),
        ]
        if let failureReason {
            elements.append(DataElement(tag: StorageCommitment.failureReason, uint16s: [failureReason]))
        }
        return DataSet(elements)
    }
}

/// The action information of an N-ACTION-RQ asking for storage commitment (PS3.4 Table J.3-1): a transaction UID
/// and the instances to commit.
package struct StorageCommitmentRequest: Sendable, Equatable {
    package var transactionUID: String
    package var references: [SOPReference]

    package init(transactionUID: String, references: [SOPReference]) {
        self.transactionUID = transactionUID
        self.references = references
    }

    /// Reads the action information.
    ///
    /// - Throws: ``StorageCommitmentError`` without a Transaction UID or with an item lacking a UID. A missing
    ///   Referenced SOP Sequence is an empty request.
    package init(actionInformation: DataSet) throws(StorageCommitmentError) {
        guard let transaction = actionInformation[StorageCommitment.transactionUID]?.string(), !transaction.isEmpty
        else { throw StorageCommitmentError(message: "no Transaction UID") }
        var references: [SOPReference] = []
        for item in actionInformation[StorageCommitment.referencedSOPSequence]?.items ?? [] {
            references.append(try SOPReference(item: item))
        }
        self.init(transactionUID: transaction, references: references)
    }

    /// The action information to send.
    package var actionInformation: DataSet {
        DataSet([
            DataElement(tag: StorageCommitment.transactionUID, vr: .UI, strings: [transactionUID]),
            DataElement(tag: StorageCommitment.referencedSOPSequence, items: references.map { $0.item() }),
        ])
    }
}

/// The event information of an N-EVENT-REPORT-RQ that reports a storage commitment (PS3.4 Tables J.3-2 and J.3-3):
/// the instances committed and those that failed, each with its reason.
package struct StorageCommitmentResult: Sendable, Equatable {
    /// An instance that was not committed.
    package struct Failure: Sendable, Equatable {
        package var reference: SOPReference
        /// A ``StorageCommitment/FailureReason`` value.
        package var reason: UInt16

        package init(reference: SOPReference, reason: UInt16) {
            self.reference = reference
            self.reason = reason
        }
    }

    package var transactionUID: String
    package var committed: [SOPReference]
    package var failures: [Failure]

    package init(transactionUID: String, committed: [SOPReference], failures: [Failure]) {
        self.transactionUID = transactionUID
        self.committed = committed
        self.failures = failures
    }

    /// Event Type ID 1 when every instance is committed, 2 when failures exist.
    package var eventType: UInt16 {
        failures.isEmpty ? StorageCommitment.successEventType : StorageCommitment.failuresEventType
    }

    /// Reads the event information of an event of type 1 or 2.
    ///
    /// - Throws: ``StorageCommitmentError`` without a Transaction UID, for another event type, for event type 2
    ///   without a Failed SOP Sequence, or for an item lacking a UID or (failures) a Failure Reason.
    package init(eventInformation: DataSet, eventType: UInt16) throws(StorageCommitmentError) {
        guard eventType == StorageCommitment.successEventType || eventType == StorageCommitment.failuresEventType
        else { throw StorageCommitmentError(message: "event type \(eventType) is not a storage commitment result") }
        guard let transaction = eventInformation[StorageCommitment.transactionUID]?.string(), !transaction.isEmpty
        else { throw StorageCommitmentError(message: "no Transaction UID") }
        var committed: [SOPReference] = []
        for item in eventInformation[StorageCommitment.referencedSOPSequence]?.items ?? [] {
            committed.append(try SOPReference(item: item))
        }
        let failedItems = eventInformation[StorageCommitment.failedSOPSequence]
        if eventType == StorageCommitment.failuresEventType, failedItems == nil {
            throw StorageCommitmentError(message: "event type 2 without a Failed SOP Sequence")
        }
        var failures: [Failure] = []
        for item in failedItems?.items ?? [] {
            guard let reason = item[StorageCommitment.failureReason]?.uint16s?.first else {
                throw StorageCommitmentError(message: "a failed item without Failure Reason")
            }
            failures.append(Failure(reference: try SOPReference(item: item), reason: reason))
        }
        self.init(transactionUID: transaction, committed: committed, failures: failures)
    }

    /// The event information to send: the sequences that have items.
    package var eventInformation: DataSet {
        var elements = [DataElement(tag: StorageCommitment.transactionUID, vr: .UI, strings: [transactionUID])]
        if !committed.isEmpty {
            elements.append(
                DataElement(tag: StorageCommitment.referencedSOPSequence, items: committed.map { $0.item() }))
        }
        if !failures.isEmpty {
            elements.append(
                DataElement(
                    tag: StorageCommitment.failedSOPSequence,
                    items: failures.map { $0.reference.item(failureReason: $0.reason) }))
        }
        return DataSet(elements)
    }
}
