import DICOM
import DICOMNetwork

/// Orthanc's `DicomModalityStore` job: the instances of a ``ModalityStoreRequest`` sent to a modality over one
/// association, run at once for a synchronous request or by the jobs engine.
struct ModalityStoreJob: Sendable {
    /// The modality called, with the request's `LocalAet` and `Timeout` applied.
    let modality: RemoteModality
    let instances: [RetrievableInstance]
    let isPermissive: Bool
    /// The AE title and message ID of the C-MOVE the store serves, sent in each C-STORE-RQ.
    let moveOriginator: (title: String, messageID: UInt16)?
    /// The job's `Content`, which is also the synchronous answer: Orthanc's `Description` ("REST API"),
    /// `FailedInstancesCount`, `InstancesCount`, `LocalAet`, `RemoteAet`, `ParentResources` (sorted, each once,
    /// absent when empty), `MoveOriginatorAET`/`MoveOriginatorID` with an originator, and
    /// `StorageCommitmentTransactionUID` when storage commitment is requested.
    let content: [String: JSONValue]
    /// The transaction of the storage commitment requested once the instances are sent, if any.
    let storageCommitmentTransactionUID: String?
    private let client: ModalityClient

    /// Looks the instances up and prepares the job.
    ///
    /// - Throws: `OrthancError.unknownResource` when a resource of the request is unknown.
    init(_ request: ModalityStoreRequest, to modality: RemoteModality, client: ModalityClient) async throws {
        var called = modality
        if let local = request.localApplicationEntityTitle { called.localApplicationEntityTitle = local }
        if let timeout = request.timeout { called.timeout = timeout }
        let callingTitle = client.context.outboundTarget(for: called).callingAETitle
        self.modality = called
        self.client = client
        self.isPermissive = request.isPermissive
        self.instances = try await client.instances(of: request.resources)
        var content: [String: JSONValue] = [
            "Description": "REST API", "FailedInstancesCount": 0, "InstancesCount": .int(Int64(instances.count)),
            "LocalAet": .string(callingTitle), "RemoteAet": .string(called.applicationEntityTitle),
        ]
        if !request.resources.isEmpty {
            // Orthanc keeps the parent resources as a set.
            content["ParentResources"] = .array(Set(request.resources).sorted().map { .string($0) })
        }
        if let requested = request.moveOriginator {
            let title = requested.applicationEntityTitle ?? callingTitle
            moveOriginator = (title, requested.messageID)
            content["MoveOriginatorAET"] = .string(title)
            content["MoveOriginatorID"] = .int(Int64(requested.messageID))
        } else {
            moveOriginator = nil
        }
        if request.requestsStorageCommitment {
            let transaction = UIDGenerator.makeUID()
            storageCommitmentTransactionUID = transaction
            content["StorageCommitmentTransactionUID"] = .string(transaction)
        } else {
            storageCommitmentTransactionUID = nil
        }
        self.content = content
    }

    /// Sends the instances; see ``ModalityClient/store(_:to:moveOriginator:permissive:progress:)``. With storage
    /// commitment, then asks the modality to commit every instance of the job (on a second association, as
    /// Orthanc does); its report arrives later, by N-EVENT-REPORT.
    ///
    /// - Parameter progress: called with the fraction of the instances sent; it throws to stop the job.
    func run(progress: @Sendable (Double) async throws -> Void = { _ in }) async throws {
        let count = Double(instances.count)
        try await client.store(
            instances, to: modality, moveOriginator: moveOriginator, permissive: isPermissive
        ) { sent in try await progress(Double(sent) / count) }
        if let storageCommitmentTransactionUID {
            let references = instances.map {
                SOPReference(sopClassUID: $0.sopClassUID, sopInstanceUID: $0.sopInstanceUID)
            }
            try await client.requestStorageCommitment(
                StorageCommitmentRequest(transactionUID: storageCommitmentTransactionUID, references: references),
                from: modality)
        }
    }
}
