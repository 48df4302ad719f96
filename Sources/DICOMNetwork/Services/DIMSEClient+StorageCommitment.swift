import DICOM

extension DIMSEClient {
    /// N-ACTION-RQ asking the acceptor to commit instances (PS3.4 §J.3.2); returns the N-ACTION-RSP status. The
    /// result comes later in an N-EVENT-REPORT, usually on an association the acceptor opens.
    ///
    /// - Throws: ``AssociationFailure/noPresentationContext(_:)`` when storage commitment was not accepted, or
    ///   what the association throws.
    package func requestStorageCommitment(_ request: StorageCommitmentRequest) async throws -> UInt16 {
        let command = CommandSet.nActionRequest(
            messageID: takeMessageID(), sopClass: StorageCommitment.sopClassUID,
            sopInstance: StorageCommitment.sopInstanceUID, actionType: StorageCommitment.requestActionType)
        return try await exchange(command, request.actionInformation)
    }

    /// N-EVENT-REPORT-RQ with the result of a storage commitment (PS3.4 §J.3.3); returns the N-EVENT-REPORT-RSP
    /// status.
    ///
    /// - Throws: ``AssociationFailure/noPresentationContext(_:)`` when storage commitment was not accepted, or
    ///   what the association throws.
    package func reportStorageCommitment(_ result: StorageCommitmentResult) async throws -> UInt16 {
        let command = CommandSet.nEventReportRequest(
            messageID: takeMessageID(), sopClass: StorageCommitment.sopClassUID,
            sopInstance: StorageCommitment.sopInstanceUID, eventType: result.eventType)
        return try await exchange(command, result.eventInformation)
    }

    /// Sends a storage commitment request with its data set and returns the status of its response.
    private func exchange(_ command: CommandSet, _ dataSet: DataSet) async throws -> UInt16 {
        try await send(command, dataSet, on: try context(for: StorageCommitment.sopClassUID))
        return try await response(to: command).command.status ?? DIMSEStatus.unableToProcess
    }
}
