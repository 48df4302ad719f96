import DICOM

extension DIMSEClient {
    /// N-ACTION-RQ asking the acceptor to commit instances (PS3.4 §J.3.2); returns the N-ACTION-RSP status. The
    /// result comes later in an N-EVENT-REPORT, usually on an association the acceptor opens.
    ///
    /// - Throws: ``AssociationFailure/noPresentationContext(_:)`` when storage commitment was not accepted, or
    ///   what the association throws.
    package func requestStorageCommitment(_ request: StorageCommitmentRequest) async throws -> UInt16 {
        let context = try storageCommitmentContext()
        let command = CommandSet.nActionRequest(
            messageID: takeMessageID(), sopClass: StorageCommitment.sopClassUID,
            sopInstance: StorageCommitment.sopInstanceUID, actionType: StorageCommitment.requestActionType)
        let bytes = try request.actionInformation.encoded(in: TransferSyntax(uid: context.transferSyntax))
        try await send(DIMSEMessage(contextID: context.id, command: command, dataSet: bytes))
        return try await response(to: command).command.status ?? DIMSEStatus.unableToProcess
    }

    /// N-EVENT-REPORT-RQ with the result of a storage commitment (PS3.4 §J.3.3); returns the N-EVENT-REPORT-RSP
    /// status.
    ///
    /// - Throws: ``AssociationFailure/noPresentationContext(_:)`` when storage commitment was not accepted, or
    ///   what the association throws.
    package func reportStorageCommitment(_ result: StorageCommitmentResult) async throws -> UInt16 {
        let context = try storageCommitmentContext()
        let command = CommandSet.nEventReportRequest(
            messageID: takeMessageID(), sopClass: StorageCommitment.sopClassUID,
            sopInstance: StorageCommitment.sopInstanceUID, eventType: result.eventType)
        let bytes = try result.eventInformation.encoded(in: TransferSyntax(uid: context.transferSyntax))
        try await send(DIMSEMessage(contextID: context.id, command: command, dataSet: bytes))
        return try await response(to: command).command.status ?? DIMSEStatus.unableToProcess
    }

    private func storageCommitmentContext() throws -> AcceptedPresentationContext {
        guard let context = contexts(for: StorageCommitment.sopClassUID).first else {
            throw AssociationFailure.noPresentationContext(StorageCommitment.sopClassUID)
        }
        return context
    }
}
