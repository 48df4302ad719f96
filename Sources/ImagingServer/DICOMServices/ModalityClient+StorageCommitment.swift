import DICOMNetwork

extension ModalityClient {
    /// Asks a modality to commit instances (N-ACTION); the pending report is recorded first, since the modality
    /// may report before the N-ACTION-RSP arrives. A refusal forgets it.
    ///
    /// - Throws: the network error when the modality cannot be reached or answers a failure status.
    func requestStorageCommitment(_ request: StorageCommitmentRequest, from modality: RemoteModality) async throws {
        let target = try target(for: modality)
        let reports = context.storageCommitmentReports
        let title = modality.applicationEntityTitle
        reports.add(transactionUID: request.transactionUID, remoteAET: title)
        let status: UInt16
        do {
            status = try await DICOMConnector.withAssociation(
                to: target.remote, callingAETitle: target.callingAETitle,
                contexts: [StorageCommitment.proposal(id: 1)], timeout: target.timeout, tls: target.tls
            ) { client in try await client.requestStorageCommitment(request) }
        } catch {
            reports.remove(transactionUID: request.transactionUID)
            throw Self.networkError(title, "\(error)")
        }
        guard status == DIMSEStatus.success else {
            reports.remove(transactionUID: request.transactionUID)
            let hex = String(status, radix: 16, uppercase: true)
            throw OrthancError(
                .networkProtocol,
                "Storage commitment SCU to AET \"\(title)\" has failed with DIMSE status 0x"
                    + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
        }
    }
}
